package dev.stepwise.dataset.demo;

import java.math.BigDecimal;
import java.util.Objects;

/** One solution step of a problem: apply {@code operator} to the running value and {@code operand}. */
public record Operation(Operator operator, BigDecimal operand) {
    public Operation {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(operand, "operand");
    }
}
