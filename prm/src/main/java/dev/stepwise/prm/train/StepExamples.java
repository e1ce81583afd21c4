package dev.stepwise.prm.train;

import dev.stepwise.dataset.arrow.StepRow;
import java.util.ArrayList;
import java.util.List;

/** Conversions from dataset rows to training examples. */
public final class StepExamples {

    private StepExamples() {}

    /**
     * Returns one PRM example per row that has at least one labelled step; rows without labels are skipped because
     * they add nothing to the loss.
     */
    public static List<StepExample> fromRows(List<StepRow> rows) {
        List<StepExample> examples = new ArrayList<>(rows.size());
        for (StepRow row : rows) {
            if (StepLosses.labelledCount(row.stepLabels()) > 0) {
                examples.add(new StepExample(row.inputIds(), row.scorePositions(), row.stepLabels()));
            }
        }
        return examples;
    }
}
