package dev.stepwise.dataset.grading;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Per-call facts about the question that change how two answers compare.
 *
 * @param question the question text, or null when unknown; read only when {@code order} is
 *     {@link CollectionOrder#AUTO}
 * @param order whether comma-separated answers and parenthesised tuples are compared in order
 * @param unit the unit the question asks for (for example {@code "cents"}), or null when unknown.
 *     A side that states a different unit is graded INCORRECT, and a side without a unit is taken
 *     to be in this unit.
 */
public record GradeContext(String question, CollectionOrder order, String unit) {

    /** No question, tuples ordered, no unit. */
    public static final GradeContext NONE = new GradeContext(null, CollectionOrder.AUTO, null);

    // Phrases that MATH-style questions use when any order of the listed answers is accepted.
    private static final Pattern UNORDERED_QUESTION = Pattern.compile(
            "separated by commas|all (?:the )?(?:real |complex |integer |possible )*"
                    + "(?:solutions|roots|values|zeros|numbers)|in any order");

    /** Order of the elements of a list, tuple or set answer. */
    public enum CollectionOrder {
        /**
         * {@code \{...\}} sets are unordered; other lists and tuples are unordered only when the
         * question contains a phrase such as "separated by commas", "all solutions" or "in any order".
         */
        AUTO,
        /** Every list and tuple is compared element by element; {@code \{...\}} sets stay unordered. */
        ORDERED,
        /** Every list, tuple and set is compared as a multiset. Intervals keep their endpoints in order. */
        UNORDERED
    }

    public GradeContext {
        if (order == null) {
            throw new IllegalArgumentException("order must not be null; use CollectionOrder.AUTO for the default");
        }
        if (unit != null && unit.isBlank()) {
            throw new IllegalArgumentException("unit must be null or non-blank, got '" + unit + "'");
        }
    }

    /** Creates a context that takes the collection order from {@code question}, which may be null. */
    public static GradeContext ofQuestion(String question) {
        return new GradeContext(question, CollectionOrder.AUTO, null);
    }

    /** Returns whether lists and tuples compare as multisets under this context. */
    public boolean listsUnordered() {
        return switch (order) {
            case ORDERED -> false;
            case UNORDERED -> true;
            case AUTO -> question != null
                    && UNORDERED_QUESTION.matcher(question.toLowerCase(Locale.ROOT)).find();
        };
    }
}
