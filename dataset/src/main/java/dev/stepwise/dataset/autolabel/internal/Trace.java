package dev.stepwise.dataset.autolabel.internal;

import java.util.List;

/**
 * The parts of an input row that auto-labeling reads.
 *
 * @param row position in the input file, 0-based
 * @param referenceAnswer null when the row has none
 */
public record Trace(int row, String id, String problem, List<String> steps, String referenceAnswer) {

    public Trace {
        steps = List.copyOf(steps);
    }
}
