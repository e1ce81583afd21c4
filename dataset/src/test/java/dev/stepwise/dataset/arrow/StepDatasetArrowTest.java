package dev.stepwise.dataset.arrow;

import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.StepLabels;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class StepDatasetArrowTest {

    @TempDir
    Path dir;

    static StepDatasetMetadata metadata(LabelPolicy.LabelType type) {
        return new StepDatasetMetadata("unit-test", "abc123", "<extra_0>", 14, "plain",
                LabelPolicy.sourceConvention().withLabelType(type), Map.of("autolabel.rollouts", "8"));
    }

    static StepRow row(String id, float[] labels) {
        long[] ids = new long[labels.length * 2 + 1];
        int[] positions = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            ids[2 * i + 1] = i;
            ids[2 * i + 2] = 14;
            positions[i] = 2 * i + 2;
        }
        List<String> steps = new java.util.ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            steps.add("step " + i + " of " + id);
        }
        return new StepRow(id, "unit-test", "problem " + id, steps, ids, positions, labels,
                labels.length % 2 == 0 ? 1f : null, "7", null, List.of("truncated"), null, null);
    }

    @Test
    void rowsRoundTripAcrossBatches() throws IOException {
        Path file = dir.resolve("rows.arrow");
        List<StepRow> rows = List.of(row("a", new float[] {1, 0}), row("b", new float[] {1}),
                row("c", new float[] {StepLabels.IGNORE, 1, 0}), row("d", new float[] {0, 0, 0, 1}),
                row("e", new float[] {1}));
        try (StepDatasetWriter writer = StepDatasetWriter.create(file, metadata(LabelPolicy.LabelType.HARD), false, 2)) {
            for (StepRow row : rows) {
                writer.write(row);
            }
            writer.putStats("{\"records_read\": 6}");
            writer.commit();
        }

        try (StepDatasetReader reader = StepDatasetReader.open(file)) {
            assertEquals(rows, reader.readAll());
            Map<String, String> metadata = reader.metadata();
            assertEquals("1", metadata.get(StepDatasetSchema.META_SCHEMA_VERSION));
            assertEquals("abc123", metadata.get(StepDatasetSchema.META_TOKENIZER_SHA256));
            assertEquals("14", metadata.get(StepDatasetSchema.META_SEPARATOR_ID));
            assertEquals("neutral=unset,after_first_error=SOURCE,label_type=HARD,polarity=ONE_IS_CORRECT",
                    metadata.get(StepDatasetSchema.META_LABEL_POLICY));
            assertEquals("-100", metadata.get(StepDatasetSchema.META_IGNORE_VALUE));
            assertEquals("8", metadata.get("autolabel.rollouts"));
            assertEquals("{\"records_read\": 6}", metadata.get(StepDatasetSchema.META_STATS));
        }
    }

    @Test
    void hardLabelsAreInt8WithIgnoreValue() throws IOException {
        Path file = dir.resolve("hard.arrow");
        try (StepDatasetWriter writer = StepDatasetWriter.create(file, metadata(LabelPolicy.LabelType.HARD), false)) {
            writer.write(row("bool-source", new float[] {1, 0, StepLabels.IGNORE}));
            writer.commit();
        }

        try (RootAllocator allocator = new RootAllocator();
             FileChannel channel = FileChannel.open(file);
             ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            ArrowType labelType = root.getSchema().findField("step_labels").getChildren().get(0).getType();
            assertEquals(new ArrowType.Int(8, true), labelType);
            assertTrue(reader.loadNextBatch());
            TinyIntVector labels = (TinyIntVector) ((ListVector) root.getVector("step_labels")).getDataVector();
            byte[] values = new byte[labels.getValueCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = labels.get(i);
            }
            assertArrayEquals(new byte[] {1, 0, -100}, values);
        }
    }

    @Test
    void softLabelsAreFloat32() throws IOException {
        Path file = dir.resolve("soft.arrow");
        StepRow soft = row("s", new float[] {0.25f, StepLabels.IGNORE});
        try (StepDatasetWriter writer = StepDatasetWriter.create(file, metadata(LabelPolicy.LabelType.SOFT), false)) {
            writer.write(soft);
            writer.commit();
        }
        try (StepDatasetReader reader = StepDatasetReader.open(file)) {
            ArrowType labelType = reader.batch().getSchema().findField("step_labels").getChildren().get(0).getType();
            assertEquals(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), labelType);
            assertEquals(List.of(soft), reader.readAll());
        }
    }

    @Test
    void hardDatasetRejectsSoftLabel() throws IOException {
        try (StepDatasetWriter writer = StepDatasetWriter.create(dir.resolve("x.arrow"),
                metadata(LabelPolicy.LabelType.HARD), false)) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> writer.write(row("r7", new float[] {1, 0.5f})));
            assertTrue(error.getMessage().contains("Row r7 step 1 has label 0.5"), error.getMessage());
        }
    }

    @Test
    void uncommittedWriterLeavesNoFile() throws IOException {
        Path file = dir.resolve("crash.arrow");
        assertThrows(IllegalStateException.class, () -> {
            try (StepDatasetWriter writer = StepDatasetWriter.create(file, metadata(LabelPolicy.LabelType.HARD), false)) {
                writer.write(row("a", new float[] {1}));
                throw new IllegalStateException("simulated failure before commit");
            }
        });
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void commitLeavesOnlyTheTarget() throws IOException {
        Path file = dir.resolve("done.arrow");
        try (StepDatasetWriter writer = StepDatasetWriter.create(file, metadata(LabelPolicy.LabelType.HARD), false)) {
            writer.write(row("a", new float[] {1}));
            assertFalse(Files.exists(file), "the target appears only on commit");
            writer.commit();
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void committedFileHasUmaskPermissions() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        Path file = dir.resolve("shared.arrow");
        try (StepDatasetWriter writer = StepDatasetWriter.create(file, metadata(LabelPolicy.LabelType.HARD), false)) {
            writer.write(row("a", new float[] {1}));
            writer.commit();
        }
        Path plain = Files.createFile(dir.resolve("plain.txt"));

        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    @Test
    void rolloutColumnsRoundTrip() throws IOException {
        Path file = dir.resolve("rollouts.arrow");
        StepRow withCounts = row("a", new float[] {1, 0}).withRollouts(new int[] {7, 0}, new int[] {8, 8});
        try (StepDatasetWriter writer = StepDatasetWriter.create(file, metadata(LabelPolicy.LabelType.HARD), true)) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> writer.write(row("b", new float[] {1})));
            assertTrue(error.getMessage().contains("lacks rollout counts"), error.getMessage());
            writer.write(withCounts);
            writer.commit();
        }
        try (StepDatasetReader reader = StepDatasetReader.open(file)) {
            StepRow read = reader.readAll().get(0);
            assertArrayEquals(new int[] {7, 0}, read.rolloutsCorrect());
            assertArrayEquals(new int[] {8, 8}, read.rolloutsTotal());
        }
    }

    @Test
    void readerRejectsFileOfAnotherKind() throws IOException {
        Path file = dir.resolve("pairs.arrow");
        try (PairDatasetWriter writer = PairDatasetWriter.create(file, Map.of("stepwise.source", "x"))) {
            writer.commit();
        }
        IOException error = assertThrows(IOException.class, () -> StepDatasetReader.open(file));
        assertTrue(error.getMessage().contains("found kind pairs"), error.getMessage());
    }

    @Test
    void rowRejectsPositionOutsideIds() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new StepRow("bad", "s", "p", List.of("a"), new long[] {1, 2}, new int[] {2}, new float[] {1},
                        null, null, null, List.of(), null, null));
        assertTrue(error.getMessage().contains("score position 0 is 2"), error.getMessage());
    }
}
