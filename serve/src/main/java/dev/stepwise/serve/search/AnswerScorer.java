package dev.stepwise.serve.search;

import java.util.List;

/** An outcome reward model behind the scoring service: one outcomeScore per finished solution. */
public interface AnswerScorer {

    /**
     * Scores each complete solution. One call is one scoring request.
     *
     * @return outcomeScores in the order of {@code traces}, with the tokens the model ran
     */
    Scores scoreAnswers(List<Trace> traces);

    /**
     * @param outcomeScores one per trace
     * @param scoredTokens tokens the model ran for this request
     */
    record Scores(List<Double> outcomeScores, long scoredTokens) {

        public Scores {
            outcomeScores = List.copyOf(outcomeScores);
        }
    }
}
