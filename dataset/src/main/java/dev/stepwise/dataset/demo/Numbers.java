package dev.stepwise.dataset.demo;

import java.math.BigDecimal;

/** Number formatting and parsing shared by the demo problems, their steps and the answer line. */
public final class Numbers {
    private Numbers() {}

    /** Formats without exponent and without trailing zeros: {@code 12.30 -> "12.3"}, {@code 120 -> "120"}. */
    public static String format(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() < 0) {
            stripped = stripped.setScale(0);
        }
        return stripped.toPlainString();
    }

    /** Parses a number written by {@link #format}; throws {@link NumberFormatException} naming the text. */
    public static BigDecimal parse(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new NumberFormatException("not a number: '" + text + "'");
        }
    }

    /** Compares by value, so {@code 9.8} equals {@code 9.80}. */
    public static boolean same(BigDecimal a, BigDecimal b) {
        return a.compareTo(b) == 0;
    }
}
