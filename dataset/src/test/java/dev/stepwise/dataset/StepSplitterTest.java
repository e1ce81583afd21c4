package dev.stepwise.dataset;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepSplitterTest {

    @Test
    void blankLinesSplitAndEmptyStepsAreCounted() {
        StepSplitter.Split split = StepSplitter.blankLine().split("\n\nFirst step.\n\n \t\n\nSecond step.\nstill second\n\n");

        assertEquals(List.of("First step.", "Second step.\nstill second"), split.steps());
        assertEquals(2, split.emptyStepsDropped());
    }

    @Test
    void displayMathStaysWhole() {
        String text = "Expand:\n\n$$\na^2\n\n+ b^2\n$$\n\nDone.\n\n\\[\nx\n\ny\n\\]";
        StepSplitter.Split split = StepSplitter.blankLine().split(text);

        assertEquals(List.of("Expand:", "$$\na^2\n\n+ b^2\n$$", "Done.", "\\[\nx\n\ny\n\\]"), split.steps());
    }

    @Test
    void environmentAndCodeFenceStayWhole() {
        String text = "Solve\n\\begin{align}\nx &= 1\\\\\ny &= 2\n\\end{align}\nThen\n```python\nprint(1)\n\nprint(2)\n```\nEnd";
        StepSplitter.Split split = StepSplitter.newline().split(text);

        assertEquals(List.of("Solve", "\\begin{align}\nx &= 1\\\\\ny &= 2\n\\end{align}", "Then",
                "```python\nprint(1)\n\nprint(2)\n```", "End"), split.steps());
    }

    @Test
    void unclosedFenceRunsToEnd() {
        StepSplitter.Split split = StepSplitter.newline().split("a\n```\ncode\n\nmore");

        assertEquals(List.of("a", "```\ncode\n\nmore"), split.steps());
    }

    @Test
    void stepMarkersStartSteps() {
        String text = "Step 1: add.\nmore of one\n## Step 2: multiply.\n**Step 3**: done";
        StepSplitter.Split split = StepSplitter.stepMarkers().split(text);

        assertEquals(List.of("Step 1: add.\nmore of one", "## Step 2: multiply.", "**Step 3**: done"), split.steps());
        assertEquals(0, split.emptyStepsDropped());
    }

    @Test
    void customRegexRemovesDelimiter() {
        StepSplitter.Split split = StepSplitter.named("regex:\\s*;\\s*").split("a=1; b=2 ;; c=3");

        assertEquals(List.of("a=1", "b=2", "c=3"), split.steps());
        assertEquals(1, split.emptyStepsDropped());
    }

    @Test
    void regexMatchingEmptyIsRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> StepSplitter.regex("x*"));
        assertTrue(error.getMessage().contains("/x*/"), error.getMessage());
    }
}
