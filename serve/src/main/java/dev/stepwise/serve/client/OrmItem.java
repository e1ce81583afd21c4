package dev.stepwise.serve.client;

/**
 * One final answer to score as a whole.
 *
 * @param problem the problem statement
 * @param answer the full response whose outcome is scored
 */
public record OrmItem(String problem, String answer) {

    public OrmItem {
        if (problem == null) {
            throw new IllegalArgumentException("problem must not be null");
        }
        if (answer == null) {
            throw new IllegalArgumentException("answer must not be null");
        }
    }
}
