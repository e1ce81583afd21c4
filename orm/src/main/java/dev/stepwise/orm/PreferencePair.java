package dev.stepwise.orm;

/**
 * One preference pair for Bradley–Terry training: two answers to the same prompt, the chosen one preferred.
 *
 * @param chosen token ids of prompt and preferred answer
 * @param rejected token ids of prompt and the other answer
 * @param margin how much r(chosen) should exceed r(rejected) in logits, at least 0; 0 for plain Bradley–Terry
 */
public record PreferencePair(long[] chosen, long[] rejected, float margin) {
    public PreferencePair {
        if (chosen.length == 0 || rejected.length == 0) {
            throw new IllegalArgumentException("chosen and rejected need at least one token each, found "
                    + chosen.length + " and " + rejected.length);
        }
        if (!(margin >= 0f) || !Float.isFinite(margin)) {
            throw new IllegalArgumentException("margin must be finite and at least 0, found " + margin);
        }
    }
}
