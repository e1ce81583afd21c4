package dev.stepwise.dataset.demo;

import java.math.BigDecimal;

/** An arithmetic operation that one solution step performs on the running value and one operand. */
public enum Operator {
    ADD("+"),
    SUBTRACT("-"),
    MULTIPLY("*"),
    /** The larger of the running value and the operand, written {@code max(a, b) = c}. */
    MAX("max");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    /** Computes {@code left op right} exactly. */
    public BigDecimal apply(BigDecimal left, BigDecimal right) {
        return switch (this) {
            case ADD -> left.add(right);
            case SUBTRACT -> left.subtract(right);
            case MULTIPLY -> left.multiply(right);
            case MAX -> left.max(right);
        };
    }

    /** Formats the left-hand side of a step equation, for example {@code 23 + 19} or {@code max(9.11, 9.8)}. */
    public String formatExpression(BigDecimal left, BigDecimal right) {
        if (this == MAX) {
            return "max(" + Numbers.format(left) + ", " + Numbers.format(right) + ")";
        }
        return Numbers.format(left) + " " + symbol + " " + Numbers.format(right);
    }

    /** Returns the operator written as {@code symbol} in a step equation, or throws naming the symbol. */
    public static Operator fromSymbol(String symbol) {
        for (Operator operator : values()) {
            if (operator.symbol.equals(symbol)) {
                return operator;
            }
        }
        throw new IllegalArgumentException("unknown operator '" + symbol + "': expected one of +, -, *, max");
    }
}
