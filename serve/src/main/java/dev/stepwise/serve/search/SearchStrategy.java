package dev.stepwise.serve.search;

/**
 * A way to spend generator and reward-model compute on one problem. Build instances with
 * {@link SearchStrategies}. Instances keep no state between problems, but are not safe for
 * concurrent use because the clients they call are not.
 */
public interface SearchStrategy {

    /** Returns a short name with the parameters, for example {@code best-of-n(n=4,selection=prm,aggregate=min)}. */
    String name();

    /** Runs the strategy on {@code problem} and returns the chosen solution with its compute. */
    SearchResult search(Problem problem);
}
