package dev.stepwise.dataset.grading.internal;

/**
 * A number that is either exact (a {@link Rational}) or inexact (a double). Arithmetic stays exact
 * while both operands are exact; a square root that is not a perfect square, {@code \pi}, a
 * transcendental function or an inexact operand makes the result inexact.
 */
record Value(Rational exact, double approximate) {

    static Value exact(Rational rational) {
        return new Value(rational, Double.NaN);
    }

    static Value inexact(double value) {
        return new Value(null, value);
    }

    boolean isExact() {
        return exact != null;
    }

    double toDouble() {
        return exact != null ? exact.toDouble() : approximate;
    }

    /**
     * Compares exactly when both values are exact. Otherwise it applies the relative tolerance
     * {@code tolerance} to the larger magnitude; an infinity equals only the same infinity, and NaN
     * equals nothing.
     */
    boolean equalTo(Value other, double tolerance) {
        if (exact != null && other.exact != null) {
            return exact.compareTo(other.exact) == 0;
        }
        double a = toDouble();
        double b = other.toDouble();
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return false;
        }
        if (Double.isInfinite(a) || Double.isInfinite(b)) {
            return a == b;
        }
        double scale = Math.max(Math.abs(a), Math.abs(b));
        // Below 1e-12 both sides count as zero: an inexact zero (sin(pi)) comes out near 1e-16.
        return Math.abs(a - b) <= Math.max(tolerance * scale, 1e-12);
    }

    @Override
    public String toString() {
        return exact != null ? exact.toString() : Double.toString(approximate);
    }
}
