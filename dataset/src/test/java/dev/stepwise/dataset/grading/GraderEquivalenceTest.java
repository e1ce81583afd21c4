package dev.stepwise.dataset.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Equivalence of two answers under the default options, in both argument orders. */
class GraderEquivalenceTest {

    private static final Grader GRADER = new Grader();

    static Stream<Arguments> pairs() {
        return Stream.of(
                // Exact rationals: decimals, fractions and mixed numbers compare exactly.
                Arguments.of("9.8", "9.11", Verdict.INCORRECT),
                Arguments.of("9.8", "9.80000001", Verdict.INCORRECT),
                Arguments.of("9.8", "9.80", Verdict.CORRECT),
                Arguments.of("\\frac{1}{2}", "0.5", Verdict.CORRECT),
                Arguments.of("\\frac{1}{3}", "0.333333", Verdict.INCORRECT),
                Arguments.of("\\dfrac{3}{4}", "\\tfrac34", Verdict.CORRECT),
                Arguments.of("2\\frac{1}{2}", "\\frac{5}{2}", Verdict.CORRECT),
                Arguments.of("2 1/2", "2.5", Verdict.CORRECT),
                Arguments.of("2 1/2", "21/2", Verdict.INCORRECT),
                Arguments.of("-2\\frac{1}{2}", "-2.5", Verdict.CORRECT),
                Arguments.of("10^{10}", "10000000000", Verdict.CORRECT),
                Arguments.of("0.\\overline{3}", "\\frac{1}{3}", Verdict.CORRECT),
                Arguments.of("0.1\\overline{6}", "1/6", Verdict.CORRECT),
                Arguments.of("1.\\overline{27}", "\\frac{14}{11}", Verdict.CORRECT),
                Arguments.of("0.\\overline{3}", "0.333", Verdict.INCORRECT),
                Arguments.of("3!", "6", Verdict.CORRECT),
                Arguments.of("\\binom{5}{2}", "10", Verdict.CORRECT),
                Arguments.of("-7", "- 7", Verdict.CORRECT),
                // Thousands separators only where every comma is followed by exactly three digits.
                Arguments.of("1,000", "1000", Verdict.CORRECT),
                Arguments.of("12,345,678", "12345678", Verdict.CORRECT),
                Arguments.of("0,1", "1", Verdict.INCORRECT),
                Arguments.of("0,1", "0, 1", Verdict.CORRECT),
                Arguments.of("1,23", "123", Verdict.INCORRECT),
                // Inexact values compare with a relative tolerance.
                Arguments.of("2\\sqrt{2}", "\\sqrt{8}", Verdict.CORRECT),
                Arguments.of("\\sqrt{2}", "1.41421356237", Verdict.CORRECT),
                Arguments.of("\\sqrt{2}", "1.41", Verdict.INCORRECT),
                Arguments.of("\\sqrt{16}", "4", Verdict.CORRECT),
                Arguments.of("\\sqrt[3]{27}", "3", Verdict.CORRECT),
                Arguments.of("\\frac{\\pi}{2}", "\\pi/2", Verdict.CORRECT),
                Arguments.of("3\\pi", "\\pi\\cdot 3", Verdict.CORRECT),
                Arguments.of("\\pi", "3.14", Verdict.INCORRECT),
                Arguments.of("\\frac{\\sqrt{3}}{2}", "\\frac{1}{2}\\sqrt{3}", Verdict.CORRECT),
                Arguments.of("\\log_2 8", "3", Verdict.CORRECT),
                Arguments.of("\\sin^2 x + \\cos^2 x", "1", Verdict.CORRECT),
                Arguments.of("\\sin(\\pi/6)", "\\frac{1}{2}", Verdict.CORRECT),
                Arguments.of("|-3|", "3", Verdict.CORRECT),
                // Expressions with variables compare by value at fixed sample points.
                Arguments.of("2x+3", "3+2x", Verdict.CORRECT),
                Arguments.of("(x+1)^2", "x^2+2x+1", Verdict.CORRECT),
                Arguments.of("(x+1)^2", "x^2+1", Verdict.INCORRECT),
                Arguments.of("\\frac{a}{b}", "a/b", Verdict.CORRECT),
                Arguments.of("x = 5", "5", Verdict.CORRECT),
                Arguments.of("y = 2x + 3", "3 + 2x", Verdict.CORRECT),
                // Cosmetic LaTeX.
                Arguments.of("\\left( 1, 2 \\right)", "(1,2)", Verdict.CORRECT),
                Arguments.of("\\text{(C)}", "(C)", Verdict.CORRECT),
                Arguments.of("\\!5", "5", Verdict.CORRECT),
                Arguments.of("$5$", "5", Verdict.CORRECT),
                Arguments.of("\\15", "15", Verdict.CORRECT),
                Arguments.of("\\text{Evelyn}", "Evelyn", Verdict.CORRECT),
                Arguments.of("\\text{east}", "west", Verdict.INCORRECT),
                Arguments.of("52_8", "52_{8}", Verdict.CORRECT),
                Arguments.of("30^{\\circ}", "30", Verdict.CORRECT),
                // Tuples are ordered, sets are not, intervals keep their bracket types.
                Arguments.of("(1,2)", "(2,1)", Verdict.INCORRECT),
                Arguments.of("(1,2)", "1, 2", Verdict.CORRECT),
                Arguments.of("\\{1,2\\}", "\\{2,1\\}", Verdict.CORRECT),
                Arguments.of("\\{1,2\\}", "\\{1,3\\}", Verdict.INCORRECT),
                Arguments.of("\\{5\\}", "5", Verdict.CORRECT),
                Arguments.of("[1,2)", "[1,2]", Verdict.INCORRECT),
                Arguments.of("(-\\infty, 3]", "(-\\infty,3]", Verdict.CORRECT),
                Arguments.of("\\mathbb{R}", "(-\\infty, \\infty)", Verdict.CORRECT),
                Arguments.of("(-\\infty, 1) \\cup (2, \\infty)", "(2,\\infty)\\cup(-\\infty,1)", Verdict.CORRECT),
                Arguments.of("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "(1,2)", Verdict.CORRECT),
                Arguments.of("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "((1,2),(3,4))", Verdict.CORRECT),
                Arguments.of("1 \\pm \\sqrt{2}", "1-\\sqrt{2}, 1+\\sqrt{2}", Verdict.CORRECT),
                Arguments.of("1 \\pm \\sqrt{2}", "\\{1+\\sqrt{2}, 1-\\sqrt{2}\\}", Verdict.CORRECT),
                // Units and currency.
                Arguments.of("18km", "18 km", Verdict.CORRECT),
                Arguments.of("18 kilometers", "18 km", Verdict.CORRECT),
                Arguments.of("\\$18.90", "18.9", Verdict.CORRECT),
                Arguments.of("\\$18.90", "18.90 dollars", Verdict.CORRECT),
                Arguments.of("15\\mbox{ cm}^2", "15", Verdict.CORRECT),
                Arguments.of("15 cm^2", "15 cm", Verdict.INCORRECT),
                Arguments.of("60 miles per hour", "60 miles/hour", Verdict.CORRECT),
                Arguments.of("60 mph", "60 miles per hour", Verdict.CORRECT),
                Arguments.of("18 kph", "18 km/h", Verdict.CORRECT),
                Arguments.of("12 square units", "12", Verdict.CORRECT),
                Arguments.of("2\\pi \\text{ cm}", "2\\pi", Verdict.CORRECT),
                Arguments.of("3 x", "3", Verdict.INCORRECT),
                // Text and missing answers.
                Arguments.of("New York", "new york", Verdict.CORRECT),
                Arguments.of("The function is odd here.", "\\text{odd}", Verdict.UNGRADABLE));
    }

    /** Equations and inequalities, listed apart from the other pairs; the symmetry test covers them too. */
    static Stream<Arguments> relationPairs() {
        return Stream.of(
                Arguments.of("x > 3", "(3, \\infty)", Verdict.CORRECT),
                Arguments.of("3 < x", "x > 3", Verdict.CORRECT),
                Arguments.of("x \\ge 3", "[3, \\infty)", Verdict.CORRECT),
                Arguments.of("x \\geq 3", "(3, \\infty)", Verdict.INCORRECT),
                Arguments.of("-2 < x \\le 5", "(-2, 5]", Verdict.CORRECT),
                Arguments.of("5 \\ge x > -2", "(-2, 5]", Verdict.CORRECT),
                Arguments.of("x \\neq 1", "(-\\infty,1)\\cup(1,\\infty)", Verdict.CORRECT),
                Arguments.of("x \\in [0, 1]", "[0,1]", Verdict.CORRECT),
                Arguments.of("2x - y + 3 = 0", "4x - 2y + 6 = 0", Verdict.CORRECT),
                Arguments.of("2x - y + 3 = 0", "2x - y - 3 = 0", Verdict.INCORRECT),
                Arguments.of("y = 2x + 3", "2x - y + 3 = 0", Verdict.CORRECT),
                Arguments.of("y = 2x + 3", "2x + y + 3 = 0", Verdict.INCORRECT),
                Arguments.of("x = 1, x = 2", "1, 2", Verdict.CORRECT));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("pairs")
    void gradesPair(String response, String reference, Verdict expected) {
        assertEquals(expected, GRADER.grade(response, reference).verdict());
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("relationPairs")
    void gradesRelation(String response, String reference, Verdict expected) {
        assertEquals(expected, GRADER.grade(response, reference).verdict());
    }

    @Test
    void gradingIsSymmetricOverEveryPair() {
        List<String> asymmetric = new ArrayList<>();
        Stream<Arguments> everyPair = Stream.of(pairs(), relationPairs(),
                GraderReportedCasesTest.normalisationCases(), GraderReportedCasesTest.extractionCases())
                .flatMap(cases -> cases);
        everyPair.forEach(arguments -> {
            String a = (String) arguments.get()[0];
            String b = (String) arguments.get()[1];
            Verdict forward = GRADER.grade(a, b).verdict();
            Verdict backward = GRADER.grade(b, a).verdict();
            if (forward != backward) {
                asymmetric.add(a + " vs " + b + ": " + forward + " forward, " + backward + " backward");
            }
        });

        assertEquals(List.of(), asymmetric);
    }

    @Test
    void unorderedQuestionMakesTuplesMultisets() {
        String question = "Find all real solutions, separated by commas.";

        assertEquals(Verdict.CORRECT, GRADER.grade("3, -1", "-1, 3", question).verdict());
        assertEquals(Verdict.INCORRECT, GRADER.grade("3, -1", "-1, 3").verdict());
        assertEquals(Verdict.INCORRECT, GRADER.grade("[1, 2)", "(2, 1]", question).verdict());
    }

    @Test
    void callerFlagOverridesQuestion() {
        GradeContext unordered = new GradeContext(null, GradeContext.CollectionOrder.UNORDERED, null);
        GradeContext ordered = new GradeContext("List all roots in any order.", GradeContext.CollectionOrder.ORDERED, null);

        assertEquals(Verdict.CORRECT, GRADER.grade("(1, 2)", "(2, 1)", unordered).verdict());
        assertEquals(Verdict.INCORRECT, GRADER.grade("1, 2", "2, 1", ordered).verdict());
    }
}
