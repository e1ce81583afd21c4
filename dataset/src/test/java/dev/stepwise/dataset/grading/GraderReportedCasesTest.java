package dev.stepwise.dataset.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Failure kinds that other graders are known to have, each as a response, reference and expected verdict. */
class GraderReportedCasesTest {

    private static final Grader GRADER = new Grader();

    static Stream<Arguments> extractionCases() {
        return Stream.of(
                // A whole solution is graded by its boxed answer, not compared as text.
                Arguments.of("3q = 0.87, so q = 0.29 dollars, that is $\\boxed{29}$ cents.", "29", "29", Verdict.CORRECT),
                // Nested braces stay intact: 1/3 and 1/2 must not both shrink to "\frac{1".
                Arguments.of("hence $\\boxed{\\frac{1}{3}}$", "\\frac{1}{2}", "\\frac{1}{3}", Verdict.INCORRECT),
                Arguments.of("hence $\\boxed{\\frac{1}{2}}$", "0.5", "\\frac{1}{2}", Verdict.CORRECT),
                // The last box wins over a retracted earlier one; repeated equal boxes are one answer.
                Arguments.of("My first try gives \\boxed{2}. That was a mistake, so the answer is \\boxed{3}.", "3", "3", Verdict.CORRECT),
                Arguments.of("So it is \\boxed{1}. Rechecking the sum, it is still \\boxed{1}.", "1", "1", Verdict.CORRECT),
                // A trailing comma is not a number, and two numbers apart are not one number.
                Arguments.of("The answer is 72, all told, so that is what the baker earns.", "72", "72", Verdict.CORRECT),
                Arguments.of("we end up with 3 5", "5", "5", Verdict.CORRECT),
                Arguments.of("Sum: 1,234.50.", "1234.5", "1234.50", Verdict.CORRECT),
                // Prefixes are removed as prefixes, never as character sets.
                Arguments.of("Answer: ten", "ten", "ten", Verdict.CORRECT),
                Arguments.of("ten", "ten", "ten", Verdict.CORRECT),
                Arguments.of("Answer: nineteen", "nineteen", "nineteen", Verdict.CORRECT));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("extractionCases")
    void extractsThenGrades(String response, String reference, String expectedExtracted, Verdict expected) {
        GradeResult result = GRADER.grade(response, reference);

        assertEquals(expectedExtracted, result.extracted());
        assertEquals(expected, result.verdict());
    }

    static Stream<Arguments> normalisationCases() {
        return Stream.of(
                // The same normaliser runs on both sides.
                Arguments.of("(3, \\frac{\\pi}{2})", "\\left( 3, \\frac{\\pi}{2} \\right)", Verdict.CORRECT),
                Arguments.of("\\text{13}", "13", Verdict.CORRECT),
                Arguments.of("90", "90^\\circ", Verdict.CORRECT),
                // Percent sign or word is dropped on both sides; the fraction form is a separate option.
                Arguments.of("28", "28\\%", Verdict.CORRECT),
                Arguments.of("28 percent", "28\\%", Verdict.CORRECT),
                Arguments.of("0.28", "28\\%", Verdict.INCORRECT),
                Arguments.of("28\\%", "0.28", Verdict.INCORRECT),
                // Units are whole trailing tokens; different units are not equal, a missing unit is accepted.
                Arguments.of("5 meters", "5 centimeters", Verdict.INCORRECT),
                Arguments.of("2 minutes", "2 hours", Verdict.INCORRECT),
                Arguments.of("5", "5 centimeters", Verdict.CORRECT));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("normalisationCases")
    void normalisesBothSides(String response, String reference, Verdict expected) {
        assertEquals(expected, GRADER.grade(response, reference).verdict());
        assertEquals(expected, GRADER.grade(reference, response).verdict());
    }

    @Test
    void dollarsAreNotTheCentsTheQuestionAsks() {
        GradeContext asksCents = new GradeContext("How many cents does the pencil cost?", GradeContext.CollectionOrder.AUTO, "cents");

        assertEquals(Verdict.INCORRECT, GRADER.grade("\\$0.29", "29", asksCents).verdict());
        assertEquals(Verdict.CORRECT, GRADER.grade("29 cents", "29", asksCents).verdict());
    }

    @Test
    void powerTowerStopsWithinDeadline() {
        Grader grader = new Grader(GraderOptions.DEFAULTS.withDeadline(Duration.ofSeconds(5)));
        long start = System.nanoTime();

        GradeResult result = grader.grade("\\boxed{\\dfrac{5^{(5^{(5^{(5^5)})} - 4)} - 5}{16}}", "1");

        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(Verdict.UNGRADABLE_TIMEOUT, result.verdict());
        assertTrue(seconds <= 6.0, "took " + seconds + " s, more than the 5 s deadline plus 1 s");
    }
}
