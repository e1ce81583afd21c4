package dev.stepwise.dataset.grading.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/** Exact rational number in lowest terms with a positive denominator. */
record Rational(BigInteger numerator, BigInteger denominator) implements Comparable<Rational> {

    static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
    static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);
    static final Rational HUNDRED = new Rational(BigInteger.valueOf(100), BigInteger.ONE);

    Rational {
        if (denominator.signum() == 0) {
            throw new ArithmeticException("zero denominator");
        }
        if (denominator.signum() < 0) {
            numerator = numerator.negate();
            denominator = denominator.negate();
        }
        BigInteger gcd = numerator.gcd(denominator);
        if (!gcd.equals(BigInteger.ONE) && gcd.signum() != 0) {
            numerator = numerator.divide(gcd);
            denominator = denominator.divide(gcd);
        }
    }

    static Rational of(long value) {
        return new Rational(BigInteger.valueOf(value), BigInteger.ONE);
    }

    static Rational of(BigInteger numerator, BigInteger denominator) {
        return new Rational(numerator, denominator);
    }

    /** Parses a plain decimal literal such as {@code 12}, {@code 9.80} or {@code .5}, exactly. */
    static Rational parseDecimal(String literal) {
        BigDecimal decimal = new BigDecimal(literal);
        if (decimal.scale() <= 0) {
            return new Rational(decimal.toBigIntegerExact(), BigInteger.ONE);
        }
        return new Rational(decimal.unscaledValue(), BigInteger.TEN.pow(decimal.scale()));
    }

    boolean isInteger() {
        return denominator.equals(BigInteger.ONE);
    }

    int signum() {
        return numerator.signum();
    }

    /** Larger of the numerator and denominator bit lengths. */
    int bitLength() {
        return Math.max(numerator.bitLength(), denominator.bitLength());
    }

    Rational add(Rational other) {
        return new Rational(
                numerator.multiply(other.denominator).add(other.numerator.multiply(denominator)),
                denominator.multiply(other.denominator));
    }

    Rational subtract(Rational other) {
        return add(other.negate());
    }

    Rational multiply(Rational other) {
        return new Rational(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
    }

    Rational divide(Rational other) {
        return new Rational(numerator.multiply(other.denominator), denominator.multiply(other.numerator));
    }

    Rational negate() {
        return new Rational(numerator.negate(), denominator);
    }

    /** Integer power; the caller bounds {@code exponent} so the result fits its size limit. */
    Rational pow(int exponent) {
        if (exponent >= 0) {
            return new Rational(numerator.pow(exponent), denominator.pow(exponent));
        }
        return new Rational(denominator.pow(-exponent), numerator.pow(-exponent));
    }

    /** Exact {@code degree}-th root, or null when this number is not a perfect power of that degree. */
    Rational root(int degree) {
        if (numerator.signum() < 0 && degree % 2 == 0) {
            return null;
        }
        BigInteger top = integerRoot(numerator.abs(), degree);
        BigInteger bottom = integerRoot(denominator, degree);
        if (top == null || bottom == null) {
            return null;
        }
        return new Rational(numerator.signum() < 0 ? top.negate() : top, bottom);
    }

    private static BigInteger integerRoot(BigInteger value, int degree) {
        if (degree == 2) {
            BigInteger root = value.sqrt();
            return root.multiply(root).equals(value) ? root : null;
        }
        double estimate = Math.round(Math.pow(value.doubleValue(), 1.0 / degree));
        if (Double.isInfinite(estimate)) {
            return null;
        }
        BigInteger root = BigDecimal.valueOf(estimate).toBigInteger();
        return root.pow(degree).equals(value) ? root : null;
    }

    double toDouble() {
        if (numerator.bitLength() < 1000 && denominator.bitLength() < 1000) {
            return new BigDecimal(numerator).divide(new BigDecimal(denominator), MathContext.DECIMAL64).doubleValue();
        }
        int shift = Math.max(numerator.bitLength(), denominator.bitLength()) - 900;
        double top = numerator.shiftRight(shift).doubleValue();
        double bottom = denominator.shiftRight(shift).doubleValue();
        return top / bottom;
    }

    @Override
    public int compareTo(Rational other) {
        return numerator.multiply(other.denominator).compareTo(other.numerator.multiply(denominator));
    }

    @Override
    public String toString() {
        return isInteger() ? numerator.toString() : numerator + "/" + denominator;
    }
}
