package dev.stepwise.dataset.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random answers built from the LaTeX pieces the grader reads, most of them malformed. Grading them
 * must never throw, and both argument orders must give the same verdict.
 */
class GraderFuzzTest {

    private static final String[] PIECES = {
        "0", "1", "2", "7", "12", "3.5", "1,000", "x", "y", "e", " ", "+", "-", "*", "/", "^", "!", "(", ")",
        "[", "]", "{", "}", ",", "=", "<", ">", "|", "_", ".", "%", "\\%", "\\$", "$", "\\frac{", "\\dfrac",
        "\\sqrt{", "\\sqrt[3]{", "\\pi", "\\infty", "\\le", "\\ge", "\\ne", "\\in", "\\cup", "\\pm", "\\{", "\\}",
        "\\left(", "\\right)", "\\text{", "cm", " meters", " percent", "\\circ", "^\\circ", "\\cdot", "\\times",
        "\\sin", "\\log_2", "\\ln", "\\binom{", "\\lfloor", "\\rfloor", "\\langle", "\\rangle", "\\alpha",
        "\\begin{pmatrix}", "&", "\\\\", "\\end{pmatrix}", "\\boxed{", "\\,", "\\!", "ten", "A: ", "#### "
    };

    @Test
    void randomAnswersNeverThrowAndStaySymmetric() {
        Grader grader = new Grader();
        Random random = new Random(20_241_204);
        List<String> asymmetric = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String a = randomAnswer(random);
            String b = random.nextInt(4) == 0 ? a + " " : randomAnswer(random);
            Verdict forward = grader.grade(a, b).verdict();
            Verdict backward = grader.grade(b, a).verdict();
            if (forward != backward) {
                asymmetric.add("'" + a + "' vs '" + b + "': " + forward + ", " + backward);
            }
        }

        assertEquals(List.of(), asymmetric);
    }

    private static String randomAnswer(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = 1 + random.nextInt(8);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }
}
