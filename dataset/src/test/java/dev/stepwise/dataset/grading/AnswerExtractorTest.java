package dev.stepwise.dataset.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnswerExtractorTest {

    private static final AnswerExtractor EXTRACTOR = new AnswerExtractor();

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("so $\\boxed{\\frac{1}{2}}$.", "\\frac{1}{2}"),
                Arguments.of("\\boxed{\\left\\{ 1, 2 \\right\\}}", "\\left\\{ 1, 2 \\right\\}"),
                Arguments.of("\\fbox{7} and later \\boxed{8}", "8"),
                Arguments.of("\\boxed{8} and later \\fbox{7}", "7"),
                Arguments.of("first \\boxed{4}, then an empty \\boxed{}", "4"),
                Arguments.of("unclosed \\boxed{5 and nothing else", "5"),
                Arguments.of("so it is $\\boxed 5$", "5"),
                Arguments.of("so it is $\\boxed\\pi$", "\\pi"),
                Arguments.of("She pays 3 * 6 = 18 dollars.\n#### 18", "18"),
                Arguments.of("#### 1,000\n", "1,000"),
                Arguments.of("5 * 2 = 10 apples\nA: 10", "10"),
                Arguments.of("Final Answer: The final answer is $\\frac{3}{4}$. I hope it is correct.", "$\\frac{3}{4}$"),
                Arguments.of("The answer is 3.5.", "3.5"),
                Arguments.of("The answer is: 12 cm.", "12 cm"),
                Arguments.of("Answer:\n42", "42"),
                Arguments.of("Answer: ten", "ten"),
                Arguments.of("New York", "New York"),
                Arguments.of("5 centimeters", "5 centimeters"),
                Arguments.of("864 \\mbox{ inches}^2", "864 \\mbox{ inches}^2"),
                Arguments.of("It costs 4 and then 7, so", "7"),
                Arguments.of("we get 3 5", "5"),
                Arguments.of("Total: 1,234.50.", "1234.50"),
                Arguments.of("The difference is 3-5 or -2", "-2"),
                Arguments.of("A list: 0,1", "1"),
                Arguments.of("Therefore, $\\cos \\angle A = -\\frac{24}{25}$.", "-\\frac{24}{25}"),
                Arguments.of("So \\(x = 7\\) is the only root.", "7"),
                Arguments.of("We find $x = 7$ after 3 steps.", "3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void extractsFinalAnswer(String text, String expected) {
        assertEquals(Optional.of(expected), EXTRACTOR.extract(text));
    }

    @Test
    void loneCommaIsNoNumber() {
        assertEquals(Optional.empty(), EXTRACTOR.extract("Well , then , we are done here today"));
    }

    @Test
    void fallbackCanBeTurnedOff() {
        AnswerExtractor strict = new AnswerExtractor(false);

        assertEquals(Optional.empty(), strict.extract("She buys 4 apples and eats 2 of them."));
        assertEquals(Optional.of("2"), EXTRACTOR.extract("She buys 4 apples and eats 2 of them."));
    }

    @Test
    void proseWithoutAnswerIsUngradable() {
        GradeResult result = new Grader().grade("I am not sure how to solve this problem.", "3");

        assertEquals(Verdict.UNGRADABLE, result.verdict());
        assertEquals(null, result.extracted());
        assertEquals("3", result.referenceExtracted());
    }
}
