package dev.stepwise.dataset.grading.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether two parsed answers are equivalent. The relation is symmetric: every rule below
 * treats its two arguments alike.
 * <ul>
 *   <li>Scalars without variables compare by value: exactly when both values are exact, else with a
 *       relative tolerance.</li>
 *   <li>Scalars with variables compare by value at {@link #SAMPLES} fixed rational points, so
 *       {@code 2x+3} equals {@code 3+2x}; the points are the same for both sides.</li>
 *   <li>Sets are multisets; bare lists and parenthesised tuples are multisets too when the caller or
 *       the question asks for unordered lists. Otherwise, and always for intervals written with
 *       square brackets, elements compare in order and the brackets must match; a bare list matches
 *       a parenthesised tuple.</li>
 *   <li>Equations {@code a = b} are equal when {@code a - b} on both sides differ by a non-zero
 *       constant factor at every sample point. An assignment {@code x = v} is such an equation when
 *       compared with one, and otherwise compares as {@code v}.</li>
 *   <li>A one-element set equals its element. Unions compare as multisets of intervals.</li>
 *   <li>Text compares case-insensitively with whitespace removed except between digits.</li>
 * </ul>
 */
final class Equivalence {

    static final int SAMPLES = 3;

    private final double tolerance;
    private final boolean listsUnordered;
    private final Evaluator evaluator;
    private final Deadline deadline;

    Equivalence(double tolerance, boolean listsUnordered, int maxNumberBits, Deadline deadline) {
        this.tolerance = tolerance;
        this.listsUnordered = listsUnordered;
        this.evaluator = new Evaluator(maxNumberBits, deadline);
        this.deadline = deadline;
    }

    boolean equivalent(Answer a, Answer b) {
        deadline.check();
        if (a instanceof Answer.Assignment || b instanceof Answer.Assignment) {
            return assignmentEquivalent(a, b);
        }
        if (a instanceof Answer.Text textA && b instanceof Answer.Text textB) {
            return compactLowerCase(textA.text()).equals(compactLowerCase(textB.text()));
        }
        if (a instanceof Answer.Scalar scalarA && b instanceof Answer.Scalar scalarB) {
            return scalarsEqual(scalarA.expression(), scalarB.expression());
        }
        if (a instanceof Answer.Collection collectionA && b instanceof Answer.Collection collectionB) {
            return collectionsEqual(collectionA, collectionB);
        }
        if (a instanceof Answer.Union unionA && b instanceof Answer.Union unionB) {
            return matchUnordered(unionA.parts(), unionB.parts());
        }
        if (a instanceof Answer.Equation equationA && b instanceof Answer.Equation equationB) {
            return proportional(equationA.difference(), equationB.difference());
        }
        if (a instanceof Answer.Collection set && set.isSet() && set.elements().size() == 1) {
            return equivalent(set.elements().get(0), b);
        }
        if (b instanceof Answer.Collection set && set.isSet() && set.elements().size() == 1) {
            return equivalent(a, set.elements().get(0));
        }
        return false;
    }

    /** Compares an assignment with an equation by solution set, and with anything else by its value. */
    private boolean assignmentEquivalent(Answer a, Answer b) {
        if (a instanceof Answer.Assignment assignment && b instanceof Answer.Equation equation) {
            return assignmentMatchesEquation(assignment, equation);
        }
        if (b instanceof Answer.Assignment assignment && a instanceof Answer.Equation equation) {
            return assignmentMatchesEquation(assignment, equation);
        }
        Answer valueA = a instanceof Answer.Assignment assignment ? assignment.value() : a;
        Answer valueB = b instanceof Answer.Assignment assignment ? assignment.value() : b;
        return equivalent(valueA, valueB);
    }

    private boolean assignmentMatchesEquation(Answer.Assignment assignment, Answer.Equation equation) {
        if (!(assignment.value() instanceof Answer.Scalar scalar)) {
            return false;
        }
        return proportional(new Node.Binary('-', assignment.variable(), scalar.expression()), equation.difference());
    }

    private boolean scalarsEqual(Node a, Node b) {
        Set<String> names = new TreeSet<>();
        a.collectVariables(names);
        b.collectVariables(names);
        int samples = names.isEmpty() ? 1 : SAMPLES;
        for (int k = 0; k < samples; k++) {
            Map<String, Rational> point = samplePoint(names, k);
            if (!evaluator.evaluate(a, point).equalTo(evaluator.evaluate(b, point), tolerance)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns whether {@code a = 0} and {@code b = 0} are the same equation, that is whether
     * {@code a / b} is one non-zero constant at every sample point where either side is non-zero.
     */
    private boolean proportional(Node a, Node b) {
        Set<String> names = new TreeSet<>();
        a.collectVariables(names);
        b.collectVariables(names);
        Value ratio = null;
        for (int k = 0; k < SAMPLES + 1; k++) {
            Map<String, Rational> point = samplePoint(names, k);
            Value valueA = evaluator.evaluate(a, point);
            Value valueB = evaluator.evaluate(b, point);
            boolean zeroA = valueA.equalTo(Value.exact(Rational.ZERO), tolerance);
            boolean zeroB = valueB.equalTo(Value.exact(Rational.ZERO), tolerance);
            if (zeroA != zeroB) {
                return false;
            }
            if (zeroA) {
                continue;
            }
            Value pointRatio = divide(valueA, valueB);
            if (ratio != null && !ratio.equalTo(pointRatio, tolerance)) {
                return false;
            }
            ratio = pointRatio;
        }
        return true;
    }

    private static Value divide(Value a, Value b) {
        if (a.isExact() && b.isExact()) {
            return Value.exact(a.exact().divide(b.exact()));
        }
        return Value.inexact(a.toDouble() / b.toDouble());
    }

    /** Returns a positive, non-integer rational per variable for sample {@code k}; the same on every run. */
    private static Map<String, Rational> samplePoint(Set<String> names, int k) {
        Map<String, Rational> point = new HashMap<>();
        for (String name : names) {
            int hash = name.hashCode();
            long numerator = 11 + Math.floorMod(hash * 31L + k * 1009L, 97);
            long denominator = 3 + Math.floorMod(hash * 17L + k * 577L, 11);
            if (numerator % denominator == 0) {
                // n + 1 is not a multiple of d > 1 when n is, so the point is never an integer.
                numerator++;
            }
            point.put(name, Rational.of(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator)));
        }
        return point;
    }

    private boolean collectionsEqual(Answer.Collection a, Answer.Collection b) {
        if (a.elements().size() != b.elements().size()) {
            return false;
        }
        boolean unordered = a.isSet() || b.isSet() || (listsUnordered && !hasSquareBracket(a) && !hasSquareBracket(b));
        if (unordered) {
            return matchUnordered(a.elements(), b.elements());
        }
        if (!bracketsMatch(a, b)) {
            return false;
        }
        for (int i = 0; i < a.elements().size(); i++) {
            if (!equivalent(a.elements().get(i), b.elements().get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasSquareBracket(Answer.Collection collection) {
        return collection.open().equals("[") || collection.close().equals("]");
    }

    private static boolean bracketsMatch(Answer.Collection a, Answer.Collection b) {
        if (a.open().equals(b.open()) && a.close().equals(b.close())) {
            return true;
        }
        return (a.isBare() && isParenthesised(b)) || (b.isBare() && isParenthesised(a));
    }

    private static boolean isParenthesised(Answer.Collection collection) {
        return collection.open().equals("(") && collection.close().equals(")");
    }

    /** Greedy multiset matching; each element of {@code a} takes the first unused equivalent of {@code b}. */
    private boolean matchUnordered(List<Answer> a, List<Answer> b) {
        if (a.size() != b.size()) {
            return false;
        }
        List<Answer> unused = new ArrayList<>(b);
        for (Answer element : a) {
            boolean found = false;
            for (int j = 0; j < unused.size(); j++) {
                if (equivalent(element, unused.get(j))) {
                    unused.remove(j);
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /** Lower-cased {@link #compact} form. */
    static String compactLowerCase(String text) {
        return compact(text).toLowerCase(Locale.ROOT);
    }

    /**
     * Removes whitespace except between two digits, where it separates numbers: {@code 2 1/2} is a
     * mixed number and must not become {@code 21/2}.
     */
    static String compact(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                out.append(c);
                i++;
                continue;
            }
            int next = i;
            while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
                next++;
            }
            boolean afterDigit = out.length() > 0 && Character.isDigit(out.charAt(out.length() - 1));
            if (afterDigit && next < text.length() && Character.isDigit(text.charAt(next))) {
                out.append(' ');
            }
            i = next;
        }
        return out.toString();
    }
}
