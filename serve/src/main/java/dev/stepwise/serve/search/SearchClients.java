package dev.stepwise.serve.search;

import dev.stepwise.dataset.generate.GeneratorClient;
import dev.stepwise.dataset.grading.Grader;
import dev.stepwise.serve.client.ScoringClient;
import dev.stepwise.serve.search.internal.GeneratorClientAdapter;
import dev.stepwise.serve.search.internal.ScoringClientAdapter;
import dev.stepwise.serve.search.internal.GradingAnswerJudge;

/**
 * Connects strategies to the HTTP clients: an OpenAI-compatible generator and the stepwise scoring
 * service. The caller keeps ownership of the clients and closes them.
 */
public final class SearchClients {

    private SearchClients() {}

    /**
     * Returns a search context over the clients.
     *
     * @param prm client whose requests reach the PRM (its model name set, or the server's only PRM)
     * @param orm client whose requests reach the ORM, or null to search without one
     */
    public static SearchContext context(
            GeneratorClient generator, ScoringClient prm, ScoringClient orm, AnswerJudge judge,
            GenerationSettings settings) {
        String separator = settings.stepSeparator();
        return new SearchContext(new GeneratorClientAdapter(generator), new ScoringClientAdapter(prm, separator),
                orm == null ? null : new ScoringClientAdapter(orm, separator), judge, settings);
    }

    /** Returns a generator over an OpenAI-compatible client. */
    public static StepGenerator generator(GeneratorClient client) {
        return new GeneratorClientAdapter(client);
    }

    /**
     * Returns the default answer judge: final answers marked by {@code \boxed{}}, {@code ####}, "the
     * answer is" or "Answer:", compared with the dataset module's {@link Grader}.
     */
    public static AnswerJudge defaultJudge() {
        return new GradingAnswerJudge(new Grader());
    }
}
