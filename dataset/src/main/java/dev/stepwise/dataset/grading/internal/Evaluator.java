package dev.stepwise.dataset.grading.internal;

import java.math.BigInteger;
import java.util.Map;

/**
 * Evaluates an expression tree to a {@link Value}, exactly while it can. Every exact intermediate
 * is bounded by {@code maxNumberBits}; a power, factorial or binomial that would exceed the bound is
 * refused before it is computed, so evaluation time and memory stay small for any input.
 */
final class Evaluator {

    private static final Value NOT_A_NUMBER = Value.inexact(Double.NaN);

    private final int maxNumberBits;
    private final Deadline deadline;

    Evaluator(int maxNumberBits, Deadline deadline) {
        this.maxNumberBits = maxNumberBits;
        this.deadline = deadline;
    }

    /** Evaluates {@code node} with the variables bound by {@code variables}; unbound names give NaN. */
    Value evaluate(Node node, Map<String, Rational> variables) {
        deadline.check();
        if (node instanceof Node.Number number) {
            return Value.exact(number.value());
        }
        if (node instanceof Node.Variable variable) {
            Rational value = variables.get(variable.name());
            return value == null ? NOT_A_NUMBER : Value.exact(value);
        }
        if (node instanceof Node.Constant constant) {
            return Value.inexact(constant.name().equals("pi") ? Math.PI : Double.POSITIVE_INFINITY);
        }
        if (node instanceof Node.Negation negation) {
            Value operand = evaluate(negation.operand(), variables);
            return operand.isExact() ? Value.exact(operand.exact().negate()) : Value.inexact(-operand.approximate());
        }
        if (node instanceof Node.Binary binary) {
            return binary(binary.operator(), evaluate(binary.left(), variables), evaluate(binary.right(), variables));
        }
        if (node instanceof Node.Root root) {
            Value degree = root.degree() == null ? Value.exact(Rational.of(2)) : evaluate(root.degree(), variables);
            return power(evaluate(root.radicand(), variables), reciprocal(degree));
        }
        if (node instanceof Node.Function function) {
            Value base = function.base() == null ? null : evaluate(function.base(), variables);
            return function(function.name(), evaluate(function.argument(), variables), base);
        }
        if (node instanceof Node.Factorial factorial) {
            return factorial(evaluate(factorial.operand(), variables));
        }
        if (node instanceof Node.Binomial binomial) {
            return binomial(evaluate(binomial.n(), variables), evaluate(binomial.k(), variables));
        }
        throw new IllegalStateException("unknown expression node " + node + "; this is a bug");
    }

    private Value binary(char operator, Value left, Value right) {
        if (left.isExact() && right.isExact()) {
            Rational a = left.exact();
            Rational b = right.exact();
            switch (operator) {
                case '+':
                    return bounded(a.add(b));
                case '-':
                    return bounded(a.subtract(b));
                case '*':
                    return bounded(a.multiply(b));
                case '/':
                    return b.signum() == 0 ? NOT_A_NUMBER : bounded(a.divide(b));
                default:
                    break;
            }
        }
        if (operator == '^') {
            return power(left, right);
        }
        double a = left.toDouble();
        double b = right.toDouble();
        return Value.inexact(switch (operator) {
            case '+' -> a + b;
            case '-' -> a - b;
            case '*' -> a * b;
            case '/' -> a / b;
            default -> throw new IllegalStateException("unknown operator '" + operator + "'; this is a bug");
        });
    }

    private Value power(Value base, Value exponent) {
        if (!base.isExact() || !exponent.isExact()) {
            return Value.inexact(Math.pow(base.toDouble(), exponent.toDouble()));
        }
        Rational b = base.exact();
        Rational e = exponent.exact();
        if (b.signum() == 0) {
            return e.signum() > 0 ? base : e.signum() == 0 ? Value.exact(Rational.ONE) : NOT_A_NUMBER;
        }
        if (e.isInteger()) {
            return integerPower(b, e.numerator());
        }
        BigInteger rootDegree = e.denominator();
        if (rootDegree.bitLength() <= 5) {
            Rational root = b.root(rootDegree.intValueExact());
            if (root != null) {
                return integerPower(root, e.numerator());
            }
        }
        if (b.signum() < 0) {
            boolean oddRoot = rootDegree.testBit(0);
            if (!oddRoot) {
                return NOT_A_NUMBER;
            }
            double magnitude = Math.pow(-b.toDouble(), e.toDouble());
            return Value.inexact(e.numerator().testBit(0) ? -magnitude : magnitude);
        }
        return Value.inexact(Math.pow(b.toDouble(), e.toDouble()));
    }

    private Value integerPower(Rational base, BigInteger exponent) {
        if (base.numerator().abs().equals(BigInteger.ONE) && base.denominator().equals(BigInteger.ONE)) {
            boolean negative = base.signum() < 0 && exponent.testBit(0);
            return Value.exact(negative ? Rational.ONE.negate() : Rational.ONE);
        }
        long bits = (long) base.bitLength() * exponent.abs().min(BigInteger.valueOf(Integer.MAX_VALUE)).longValue();
        if (exponent.bitLength() > 31 || bits > maxNumberBits) {
            throw new GradingStoppedException("power " + base + "^" + abbreviate(exponent)
                    + " needs more than the limit of " + maxNumberBits + " bits");
        }
        return Value.exact(base.pow(exponent.intValueExact()));
    }

    private Value factorial(Value operand) {
        if (!operand.isExact() || !operand.exact().isInteger() || operand.exact().signum() < 0) {
            return NOT_A_NUMBER;
        }
        BigInteger n = operand.exact().numerator();
        // log2(n!) < n * log2(n): refuse before multiplying when even that bound is too big.
        if (n.bitLength() > 31 || (double) n.longValue() * Math.max(1, n.bitLength()) > maxNumberBits) {
            throw new GradingStoppedException("factorial of " + abbreviate(n) + " needs more than the limit of "
                    + maxNumberBits + " bits");
        }
        BigInteger result = BigInteger.ONE;
        for (int i = 2; i <= n.intValueExact(); i++) {
            deadline.check();
            result = result.multiply(BigInteger.valueOf(i));
        }
        return Value.exact(Rational.of(result, BigInteger.ONE));
    }

    private Value binomial(Value n, Value k) {
        if (!n.isExact() || !k.isExact() || !n.exact().isInteger() || !k.exact().isInteger()) {
            return NOT_A_NUMBER;
        }
        BigInteger top = n.exact().numerator();
        BigInteger choose = k.exact().numerator();
        if (choose.signum() < 0 || top.signum() < 0 || choose.compareTo(top) > 0) {
            return Value.exact(Rational.ZERO);
        }
        choose = choose.min(top.subtract(choose));
        if (top.bitLength() > 31 || (double) choose.longValue() * top.bitLength() > maxNumberBits) {
            throw new GradingStoppedException("binomial (" + abbreviate(top) + " choose " + abbreviate(choose)
                    + ") needs more than the limit of " + maxNumberBits + " bits");
        }
        BigInteger result = BigInteger.ONE;
        for (long i = 1; i <= choose.longValue(); i++) {
            deadline.check();
            result = result.multiply(top.subtract(BigInteger.valueOf(i - 1))).divide(BigInteger.valueOf(i));
        }
        return Value.exact(Rational.of(result, BigInteger.ONE));
    }

    private Value function(String name, Value argument, Value base) {
        if (argument.isExact()) {
            Rational x = argument.exact();
            switch (name) {
                case "abs":
                    return Value.exact(x.signum() < 0 ? x.negate() : x);
                case "floor":
                    return Value.exact(floor(x));
                case "ceil":
                    return Value.exact(floor(x.negate()).negate());
                default:
                    break;
            }
        }
        double x = argument.toDouble();
        double result = switch (name) {
            case "abs" -> Math.abs(x);
            case "floor" -> Math.floor(x);
            case "ceil" -> Math.ceil(x);
            case "sin" -> Math.sin(x);
            case "cos" -> Math.cos(x);
            case "tan" -> Math.tan(x);
            case "sec" -> 1 / Math.cos(x);
            case "csc" -> 1 / Math.sin(x);
            case "cot" -> 1 / Math.tan(x);
            case "arcsin" -> Math.asin(x);
            case "arccos" -> Math.acos(x);
            case "arctan" -> Math.atan(x);
            case "sinh" -> Math.sinh(x);
            case "cosh" -> Math.cosh(x);
            case "tanh" -> Math.tanh(x);
            case "exp" -> Math.exp(x);
            case "ln" -> Math.log(x);
            // NOTE: \log without a base is read as the natural logarithm; both sides get the same reading.
            case "log" -> base == null ? Math.log(x) : Math.log(x) / Math.log(base.toDouble());
            default -> throw new IllegalStateException("unknown function " + name + "; this is a bug");
        };
        return Value.inexact(result);
    }

    private static Rational floor(Rational x) {
        BigInteger[] quotient = x.numerator().divideAndRemainder(x.denominator());
        BigInteger whole = quotient[0];
        if (quotient[1].signum() < 0) {
            whole = whole.subtract(BigInteger.ONE);
        }
        return Rational.of(whole, BigInteger.ONE);
    }

    private static Value reciprocal(Value value) {
        if (value.isExact()) {
            return value.exact().signum() == 0 ? NOT_A_NUMBER : Value.exact(Rational.ONE.divide(value.exact()));
        }
        return Value.inexact(1 / value.approximate());
    }

    private Value bounded(Rational value) {
        if (value.bitLength() > maxNumberBits) {
            throw new GradingStoppedException("an exact intermediate value has " + value.bitLength()
                    + " bits, more than the limit of " + maxNumberBits);
        }
        return Value.exact(value);
    }

    private static String abbreviate(BigInteger value) {
        String text = value.toString();
        return text.length() <= 20 ? text : text.substring(0, 8) + "...(" + text.length() + " digits)";
    }
}
