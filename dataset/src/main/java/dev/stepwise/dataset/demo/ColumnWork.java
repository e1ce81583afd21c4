package dev.stepwise.dataset.demo;

import java.math.BigDecimal;

/**
 * The column-by-column working that a step writes before its equation, so that each fact in a step
 * is a single-digit one a small model can check. Columns run from the ones upward, and every column
 * but the last writes one digit and names the carry or borrow it passes on:
 *
 * <ul>
 *   <li>{@code 47 + 38}: {@code 7 + 8 = 15, write 5 carry 1; 4 + 3 + 1 = 8}
 *   <li>{@code 85 - 29}: {@code 15 - 9 = 6, borrow 1; 8 - 2 - 1 = 5}
 *   <li>{@code 34 * 7}: {@code 4 * 7 = 28, write 8 carry 2; 3 * 7 + 2 = 23}
 * </ul>
 *
 * <p>With carries dropped, each column still names the carry or borrow it passes on, but the next
 * column leaves it out ({@code 7 + 8 = 15, write 5 carry 1; 4 + 3 = 7}), which gives the results of
 * {@link Slip#CARRY}. The last column is written in full, so {@code 75 + 42} ends in {@code 7 + 4 = 11}.
 */
final class ColumnWork {
    private ColumnWork() {}

    /**
     * Returns whether a step of {@code left op right} writes column work: non-negative integers with at
     * least two columns, added, subtracted without going below zero, or multiplied by one digit.
     */
    static boolean applies(Operator operator, BigDecimal left, BigDecimal right) {
        if (!isNonNegativeInteger(left) || !isNonNegativeInteger(right)) {
            return false;
        }
        long a = left.longValueExact();
        long b = right.longValueExact();
        return switch (operator) {
            case ADD -> a >= 10 || b >= 10;
            case SUBTRACT -> a >= b && a >= 10;
            case MULTIPLY -> b <= 9 && a >= 10;
            case MAX -> false;
        };
    }

    /**
     * Writes the column work of {@code left op right}, columns separated by {@code "; "}.
     *
     * @param dropCarries whether each column leaves out the carry or borrow of the column before
     * @throws IllegalArgumentException when {@link #applies} is false for the operands
     */
    static String write(Operator operator, BigDecimal left, BigDecimal right, boolean dropCarries) {
        if (!applies(operator, left, right)) {
            throw new IllegalArgumentException("no column work for " + operator.formatExpression(left, right)
                    + ": expected non-negative integers with two or more columns");
        }
        long a = left.longValueExact();
        long b = right.longValueExact();
        return switch (operator) {
            case ADD -> add(a, b, dropCarries);
            case SUBTRACT -> subtract(a, b, dropCarries);
            case MULTIPLY -> multiply(a, b, dropCarries);
            case MAX -> throw new IllegalStateException("max has no column work");
        };
    }

    private static String add(long a, long b, boolean dropCarries) {
        StringBuilder work = new StringBuilder();
        long carry = 0;
        for (; a >= 10 || b >= 10; a /= 10, b /= 10) {
            long usedCarry = dropCarries ? 0 : carry;
            long sum = a % 10 + b % 10 + usedCarry;
            work.append(a % 10).append(" + ").append(b % 10).append(usedCarry > 0 ? " + " + usedCarry : "")
                    .append(" = ").append(sum);
            carry = sum / 10;
            if (carry > 0) {
                work.append(", write ").append(sum % 10).append(" carry ").append(carry);
            }
            work.append("; ");
        }
        long usedCarry = dropCarries ? 0 : carry;
        return work.append(a).append(" + ").append(b).append(usedCarry > 0 ? " + " + usedCarry : "")
                .append(" = ").append(a + b + usedCarry).toString();
    }

    private static String subtract(long a, long b, boolean dropCarries) {
        StringBuilder work = new StringBuilder();
        long borrow = 0;
        for (; a >= 10; a /= 10, b /= 10) {
            long usedBorrow = dropCarries ? 0 : borrow;
            long top = a % 10;
            long bottom = b % 10;
            borrow = top - bottom - usedBorrow < 0 ? 1 : 0;
            work.append(borrow > 0 ? "1" + top : String.valueOf(top)).append(" - ").append(bottom)
                    .append(usedBorrow > 0 ? " - " + usedBorrow : "")
                    .append(" = ").append(10 * borrow + top - bottom - usedBorrow);
            if (borrow > 0) {
                work.append(", borrow 1");
            }
            work.append("; ");
        }
        // a >= b, so the top digit of a is at least that of b and the top column is never negative.
        long usedBorrow = dropCarries ? 0 : borrow;
        return work.append(a).append(" - ").append(b).append(usedBorrow > 0 ? " - " + usedBorrow : "")
                .append(" = ").append(a - b - usedBorrow).toString();
    }

    private static String multiply(long a, long digit, boolean dropCarries) {
        StringBuilder work = new StringBuilder();
        long carry = 0;
        for (; a >= 10; a /= 10) {
            long usedCarry = dropCarries ? 0 : carry;
            long product = (a % 10) * digit + usedCarry;
            work.append(a % 10).append(" * ").append(digit).append(usedCarry > 0 ? " + " + usedCarry : "")
                    .append(" = ").append(product);
            carry = product / 10;
            if (carry > 0) {
                work.append(", write ").append(product % 10).append(" carry ").append(carry);
            }
            work.append("; ");
        }
        long usedCarry = dropCarries ? 0 : carry;
        return work.append(a).append(" * ").append(digit).append(usedCarry > 0 ? " + " + usedCarry : "")
                .append(" = ").append(a * digit + usedCarry).toString();
    }

    private static boolean isNonNegativeInteger(BigDecimal value) {
        return value.signum() >= 0 && value.stripTrailingZeros().scale() <= 0;
    }
}
