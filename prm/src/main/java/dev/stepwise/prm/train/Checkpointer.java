package dev.stepwise.prm.train;

import java.io.IOException;
import java.nio.file.Path;

/** Writes the trainer's resumable state; handed to listeners so that checkpoint policy stays out of the loop. */
public interface Checkpointer {

    /**
     * Writes trainable weights, optimizer moments and the step count into a new {@code checkpoint-NNNNNNNN} folder
     * under {@code checkpointsDir}, through a temporary folder and a rename.
     *
     * @return the checkpoint folder
     */
    Path writeCheckpoint(Path checkpointsDir) throws IOException;
}
