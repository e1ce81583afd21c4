package dev.stepwise.serve.search;

import java.util.Objects;

/**
 * What a strategy needs to run: the generator, the reward models and the answer judge.
 *
 * @param generator generates steps and complete solutions
 * @param stepScorer the PRM
 * @param answerScorer the ORM, or null when none is served (ORM selection and ORM thresholds then fail)
 * @param judge finds final answers and compares them
 * @param settings prompt layout and sampling settings
 */
public record SearchContext(
        StepGenerator generator,
        StepScorer stepScorer,
        AnswerScorer answerScorer,
        AnswerJudge judge,
        GenerationSettings settings) {

    public SearchContext {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(stepScorer, "stepScorer");
        Objects.requireNonNull(judge, "judge");
        Objects.requireNonNull(settings, "settings");
    }
}
