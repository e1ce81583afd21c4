package dev.stepwise.dataset;

/** Names of the flags a reader or the tokenizer stage puts on a {@link TraceRecord}. */
public final class RecordFlags {

    /** A Math-Shepherd step tag stood inside the question; it and its label were dropped. */
    public static final String STRAY_TAG_IN_PROMPT = "stray_tag_in_prompt";
    /** The outcome is wrong but no step is labelled wrong. */
    public static final String INCORRECT_WITHOUT_ERROR_STEP = "incorrect_without_error_step";
    /** Steps were cut at a step boundary to fit the token limit. */
    public static final String TRUNCATED = "truncated";
    /** The last step (which contains the final answer) was cut; the row is never an outcome example. */
    public static final String FINAL_ANSWER_DROPPED = "final_answer_dropped";
    /** Empty or whitespace-only steps were removed. */
    public static final String EMPTY_STEPS_REMOVED = "empty_steps_removed";
    /** Steps after the first wrong step were removed by the label policy. */
    public static final String STEPS_AFTER_ERROR_DROPPED = "steps_after_error_dropped";

    private RecordFlags() {
    }
}
