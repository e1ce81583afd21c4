package dev.stepwise.dataset.grading.internal;

/**
 * A string view that calls {@link Deadline#check()} every 1024 character reads, so a regular
 * expression that backtracks heavily over a long input stops at the deadline.
 */
final class CheckedCharSequence implements CharSequence {

    private final String text;
    private final int start;
    private final int end;
    private final Deadline deadline;
    private int reads;

    CheckedCharSequence(String text, Deadline deadline) {
        this(text, 0, text.length(), deadline);
    }

    private CheckedCharSequence(String text, int start, int end, Deadline deadline) {
        this.text = text;
        this.start = start;
        this.end = end;
        this.deadline = deadline;
    }

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public char charAt(int index) {
        if ((++reads & 1023) == 0) {
            deadline.check();
        }
        return text.charAt(start + index);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return new CheckedCharSequence(text, start + from, start + to, deadline);
    }

    @Override
    public String toString() {
        return text.substring(start, end);
    }
}
