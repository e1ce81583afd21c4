package dev.stepwise.dataset.grading;

import java.time.Duration;

/**
 * Grading policies and safety limits. Every field has a default in {@link #DEFAULTS}; the
 * constructor rejects out-of-range values with the value in the message.
 *
 * @param deadline wall-clock limit per {@link Grader#grade} call; when it passes the call returns
 *     {@link Verdict#UNGRADABLE_TIMEOUT} and the worker stops at its next check. Default 5 s.
 * @param lastNumberFallback whether a response with no box, answer marker or bare answer is graded
 *     by the right-hand side of its last math segment, when no digit follows that segment, or else
 *     by its last number. Default true.
 * @param acceptFractionForPercent whether {@code 28\%} also equals {@code 0.28}. The percent sign or
 *     word is always dropped on both sides, so {@code 28\%} equals {@code 28}. Default false.
 * @param units the rule for comparing trailing unit words. Default {@link UnitPolicy#LENIENT}.
 * @param relativeTolerance tolerance for comparisons where either side is inexact (a square root
 *     that is not a perfect square, {@code \pi}, a trigonometric function or a logarithm); two exact
 *     rationals are always compared exactly. Default 1e-6, range [0, 0.1].
 * @param maxAnswerChars longest extracted answer that is parsed, in characters; a longer one is
 *     {@link Verdict#UNGRADABLE_TIMEOUT}. Default 1000.
 * @param maxNumberBits largest numerator or denominator of an exact intermediate value, in bits.
 *     A power, factorial or binomial that would exceed it is refused before it is computed, and a
 *     sum or product that exceeds it stops grading; both give {@link Verdict#UNGRADABLE_TIMEOUT}.
 *     Default 65536 (about 19,700 decimal digits).
 * @param maxNestingDepth deepest nesting of brackets, braces and operators that is parsed; deeper
 *     input is {@link Verdict#UNGRADABLE_TIMEOUT}. Default 100.
 */
public record GraderOptions(
        Duration deadline,
        boolean lastNumberFallback,
        boolean acceptFractionForPercent,
        UnitPolicy units,
        double relativeTolerance,
        int maxAnswerChars,
        int maxNumberBits,
        int maxNestingDepth) {

    /** Default per-item deadline. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);
    /** Default relative tolerance for inexact values. */
    public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-6;
    /** Default longest parsed answer, in characters. */
    public static final int DEFAULT_MAX_ANSWER_CHARS = 1000;
    /** Default largest exact numerator or denominator, in bits. */
    public static final int DEFAULT_MAX_NUMBER_BITS = 65_536;
    /** Default deepest parsed nesting. */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 100;

    /** All defaults. */
    public static final GraderOptions DEFAULTS = new GraderOptions(
            DEFAULT_DEADLINE,
            true,
            false,
            UnitPolicy.LENIENT,
            DEFAULT_RELATIVE_TOLERANCE,
            DEFAULT_MAX_ANSWER_CHARS,
            DEFAULT_MAX_NUMBER_BITS,
            DEFAULT_MAX_NESTING_DEPTH);

    /**
     * Comparison rule for unit words. Units are only ever whole trailing tokens after a number
     * ({@code 5 centimeters}, {@code 3 \text{ cm}^2}, {@code \$5}), never substrings, and are never
     * converted ({@code 100 cm} does not equal {@code 1 m}).
     */
    public enum UnitPolicy {
        /** Different units are INCORRECT; a unit on one side only is accepted. */
        LENIENT,
        /** Both sides must carry the same unit, or neither may carry one. */
        STRICT,
        /** Trailing unit words are dropped on both sides and never compared. */
        IGNORE
    }

    public GraderOptions {
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, got " + deadline);
        }
        if (units == null) {
            throw new IllegalArgumentException("units must not be null; the default is UnitPolicy.LENIENT");
        }
        if (!(relativeTolerance >= 0 && relativeTolerance <= 0.1)) {
            throw new IllegalArgumentException("relativeTolerance must be in [0, 0.1], got " + relativeTolerance);
        }
        if (maxAnswerChars < 1) {
            throw new IllegalArgumentException("maxAnswerChars must be at least 1, got " + maxAnswerChars);
        }
        if (maxNumberBits < 64) {
            throw new IllegalArgumentException("maxNumberBits must be at least 64, got " + maxNumberBits);
        }
        if (maxNestingDepth < 4 || maxNestingDepth > 1000) {
            throw new IllegalArgumentException("maxNestingDepth must be in [4, 1000], got " + maxNestingDepth);
        }
    }

    /** Copy with another deadline. */
    public GraderOptions withDeadline(Duration newDeadline) {
        return new GraderOptions(newDeadline, lastNumberFallback, acceptFractionForPercent, units,
                relativeTolerance, maxAnswerChars, maxNumberBits, maxNestingDepth);
    }

    /** Copy with another last-number fallback setting. */
    public GraderOptions withLastNumberFallback(boolean enabled) {
        return new GraderOptions(deadline, enabled, acceptFractionForPercent, units,
                relativeTolerance, maxAnswerChars, maxNumberBits, maxNestingDepth);
    }

    /** Copy with another percent policy. */
    public GraderOptions withAcceptFractionForPercent(boolean accept) {
        return new GraderOptions(deadline, lastNumberFallback, accept, units,
                relativeTolerance, maxAnswerChars, maxNumberBits, maxNestingDepth);
    }

    /** Copy with another unit policy. */
    public GraderOptions withUnits(UnitPolicy policy) {
        return new GraderOptions(deadline, lastNumberFallback, acceptFractionForPercent, policy,
                relativeTolerance, maxAnswerChars, maxNumberBits, maxNestingDepth);
    }

    /** Copy with another relative tolerance. */
    public GraderOptions withRelativeTolerance(double tolerance) {
        return new GraderOptions(deadline, lastNumberFallback, acceptFractionForPercent, units,
                tolerance, maxAnswerChars, maxNumberBits, maxNestingDepth);
    }
}
