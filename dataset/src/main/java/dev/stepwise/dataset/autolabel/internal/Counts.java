package dev.stepwise.dataset.autolabel.internal;

/**
 * Rollout outcomes of one probed step.
 *
 * @param correct completions whose final answer equals the reference
 * @param incorrect completions with a different final answer
 * @param ungradable completions without a gradable answer: ungradable, grading timeout or cut at the token limit
 */
public record Counts(int correct, int incorrect, int ungradable) {

    /** Graded completions, the denominator of the soft label. */
    public int graded() {
        return correct + incorrect;
    }

    /** Counts the letters of a verdict string (see {@link Verdicts}). */
    public static Counts of(CharSequence verdicts) {
        int correct = 0;
        int incorrect = 0;
        int ungradable = 0;
        for (int i = 0; i < verdicts.length(); i++) {
            char letter = verdicts.charAt(i);
            if (letter == Verdicts.CORRECT) {
                correct++;
            } else if (letter == Verdicts.INCORRECT) {
                incorrect++;
            } else {
                ungradable++;
            }
        }
        return new Counts(correct, incorrect, ungradable);
    }
}
