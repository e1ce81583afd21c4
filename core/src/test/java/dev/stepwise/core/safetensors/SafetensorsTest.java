package dev.stepwise.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.core.safetensors.internal.SafetensorsReader;
import dev.stepwise.core.safetensors.internal.SafetensorsWriter;
import dev.stepwise.core.safetensors.internal.StorageDtype;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @TempDir
    Path temp;

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void writeThenReadIsBitExact() throws Exception {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("b.weight", manager.create(new float[] {1.5f, -0f, Float.MIN_VALUE, Float.NaN, 3e38f, -7.25f},
                new Shape(2, 3)));
        tensors.put("a.scalar", manager.create(0.1f));
        tensors.put("c.ids", manager.create(new long[] {Long.MIN_VALUE, 0, 42}));
        Path file = temp.resolve("t.safetensors");
        Safetensors.write(file, tensors, Map.of("step", "12"));

        Map<String, NDArray> read = Safetensors.read(file, manager);
        assertEquals(List.of("a.scalar", "b.weight", "c.ids"), List.copyOf(read.keySet()), "names sorted on write");
        assertEquals(new Shape(), read.get("a.scalar").getShape());
        assertEquals(0.1f, read.get("a.scalar").getFloat());
        assertEquals(new Shape(2, 3), read.get("b.weight").getShape());
        float[] weights = read.get("b.weight").toFloatArray();
        float[] expected = tensors.get("b.weight").toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(weights[i]), "element " + i);
        }
        assertEquals(DataType.INT64, read.get("c.ids").getDataType());
        assertArrayEquals(new long[] {Long.MIN_VALUE, 0, 42}, read.get("c.ids").toLongArray());
    }

    @Test
    void headerIsPaddedAndMarkedPytorch() throws Exception {
        Path file = temp.resolve("t.safetensors");
        Safetensors.write(file, Map.of("x", manager.create(new float[] {1, 2})), Map.of("step", "12"));
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).strip();
        assertEquals(0, headerLength % 8);
        assertEquals("{\"__metadata__\":{\"format\":\"pt\",\"step\":\"12\"},"
                + "\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        assertEquals(8 + headerLength + 8, bytes.length);
        assertEquals(List.of(new TensorInfo("x", "F32", List.of(2L), 0, 8)), Safetensors.readHeader(file));
    }

    @Test
    void handWrittenBf16WidensExactly() throws Exception {
        // 1.0, -2.0, 0.333984375 (0x3EAB), +infinity, the smallest positive bf16 subnormal
        Path file = handWritten("BF16", new int[] {0x3F80, 0xC000, 0x3EAB, 0x7F80, 0x0001});
        NDArray values = Safetensors.read(file, manager).get("t");
        assertEquals(DataType.FLOAT32, values.getDataType());
        assertArrayEquals(new float[] {1f, -2f, 0.333984375f, Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x00010000)},
                values.toFloatArray(), 0f);
    }

    @Test
    void handWrittenF16ConvertsExactly() throws Exception {
        // 1.0, -2.0, 0.333251953125 (0x3555), 65504 (largest f16), 2^-24 (smallest f16 subnormal)
        Path file = handWritten("F16", new int[] {0x3C00, 0xC000, 0x3555, 0x7BFF, 0x0001});
        NDArray values = Safetensors.read(file, manager).get("t");
        assertEquals(DataType.FLOAT32, values.getDataType());
        assertArrayEquals(new float[] {1f, -2f, 0.333251953125f, 65504f, 0x1p-24f}, values.toFloatArray(), 0f);
    }

    @Test
    void bf16OutputRoundsToNearestEven() throws Exception {
        // 1 + 2^-8 lies halfway between bf16 neighbours 1 and 1 + 2^-7: ties go to the even one, 1.
        // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 and 1 + 2^-6: the even one is 1 + 2^-6.
        float[] input = {1 + 0x1p-8f, 1 + 3 * 0x1p-8f, 1 + 0x1p-8f + 0x1p-20f, -0.1f};
        Path file = temp.resolve("bf16.safetensors");
        Safetensors.write(file, Map.of("t", manager.create(input)), Map.of(), Safetensors.FloatDtype.BF16);
        assertEquals("BF16", Safetensors.readHeader(file).get(0).dtype());
        assertArrayEquals(new float[] {1f, 1 + 0x1p-6f, 1 + 0x1p-7f, -0.10009765625f},
                Safetensors.read(file, manager).get("t").toFloatArray(), 0f);
    }

    @Test
    void shardIndexReadsEveryShard() throws Exception {
        Safetensors.write(temp.resolve("model-00001-of-00002.safetensors"),
                Map.of("a", manager.create(new float[] {1, 2})), Map.of());
        Safetensors.write(temp.resolve("model-00002-of-00002.safetensors"),
                Map.of("b", manager.create(new float[] {3})), Map.of());
        Files.writeString(temp.resolve(Safetensors.INDEX_FILE), "{\"metadata\": {\"total_size\": 12}, \"weight_map\": "
                + "{\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00002-of-00002.safetensors\"}}");

        Map<String, NDArray> read = Safetensors.read(temp, manager);
        assertArrayEquals(new float[] {1, 2}, read.get("a").toFloatArray(), 0f);
        assertArrayEquals(new float[] {3}, read.get("b").toFloatArray(), 0f);
        assertEquals(2, Safetensors.readHeader(temp.resolve(Safetensors.INDEX_FILE)).size());
    }

    @Test
    void mappedWeightsAcceptInPlaceUpdates() throws Exception {
        Path file = temp.resolve("t.safetensors");
        Safetensors.write(file, Map.of("x", manager.create(new float[] {1, 2, 3})), Map.of());
        byte[] before = Files.readAllBytes(file);
        NDArray mapped = Safetensors.read(file, manager).get("x");
        mapped.addi(10);
        assertArrayEquals(new float[] {11, 12, 13}, mapped.toFloatArray(), 0f);
        assertArrayEquals(before, Files.readAllBytes(file), "a copy-on-write mapping leaves the file unchanged");
    }

    @Test
    void bigTensorsMoveInRowChunks() throws Exception {
        // a 64-byte buffer limit forces 5 x 6 float tensors (24 bytes a row) through chunks of 2 rows
        float[] values = new float[30];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25f - 3;
        }
        NDArray matrix = manager.create(values, new Shape(5, 6));
        for (StorageDtype dtype : new StorageDtype[] {StorageDtype.F32, StorageDtype.F16, StorageDtype.BF16}) {
            Path file = temp.resolve(dtype + ".safetensors");
            SafetensorsWriter.write(file, Map.of("m", matrix), Map.of(), dtype, 64);
            try (NDManager whole = NDManager.newBaseManager(Device.cpu())) {
                NDArray expected = Safetensors.read(file, whole).get("m");
                NDArray chunked = SafetensorsReader.read(file, manager, 64).get("m");
                assertEquals(new Shape(5, 6), chunked.getShape(), dtype.name());
                // every value here is a multiple of 0.25 below 8, exact in all three dtypes
                assertArrayEquals(values, expected.toFloatArray(), 0f, dtype.name());
                assertArrayEquals(values, chunked.toFloatArray(), 0f, dtype.name());
            }
        }
        UnsupportedOperationException error = assertThrows(UnsupportedOperationException.class,
                () -> SafetensorsWriter.write(temp.resolve("x.safetensors"), Map.of("m", matrix), Map.of(),
                        StorageDtype.F32, 16));
        assertEquals("tensor m has rows of 24 bytes, above the 16-byte limit of one Java buffer", error.getMessage());
    }

    @Test
    void wrongByteLengthIsRejected() throws Exception {
        Path file = handWritten("F32", new int[] {0, 0}); // 4 bytes of data for a shape-[5] F32 tensor of 20
        SafetensorsFormatException error = assertThrows(SafetensorsFormatException.class,
                () -> Safetensors.read(file, manager));
        assertTrue(error.getMessage().contains("tensor t of dtype F32 and shape [5] needs 20 bytes, data_offsets give 4"),
                error.getMessage());
    }

    @Test
    void unsupportedDtypeIsRejectedByName() throws Exception {
        Path file = handWritten("F8_E4M3", new int[] {0, 0, 0});
        SafetensorsFormatException error = assertThrows(SafetensorsFormatException.class,
                () -> Safetensors.read(file, manager));
        assertTrue(error.getMessage().contains("tensor t has dtype F8_E4M3, expected one of F32, F16, BF16"),
                error.getMessage());
    }

    @Test
    void truncatedFileIsRejected() throws Exception {
        Path file = temp.resolve("short.safetensors");
        Files.write(file, new byte[] {(byte) 200, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        SafetensorsFormatException error = assertThrows(SafetensorsFormatException.class,
                () -> Safetensors.read(file, manager));
        assertTrue(error.getMessage().endsWith("header length 200 at byte 0 is invalid for a file of 10 bytes (limit 104857600)"),
                error.getMessage());
    }

    @Test
    void folderWithoutCheckpointIsRejected() {
        java.io.FileNotFoundException error = assertThrows(java.io.FileNotFoundException.class,
                () -> Safetensors.read(temp, manager));
        assertTrue(error.getMessage().endsWith("folder has neither model.safetensors nor model.safetensors.index.json"));
    }

    /** Writes a one-tensor file named {@code t}: 16-bit words little-endian, shape = number of words (or 5 for F32). */
    private Path handWritten(String dtype, int[] words) throws Exception {
        int dataBytes = words.length * 2;
        long elements = dtype.equals("F32") ? 5 : dtype.startsWith("F8") ? dataBytes : words.length;
        String header = "{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + elements + "],\"data_offsets\":[0," + dataBytes
                + "]}}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
        out.write(headerBytes);
        for (int word : words) {
            out.write(word & 0xFF);
            out.write((word >>> 8) & 0xFF);
        }
        Path file = temp.resolve(dtype + ".safetensors");
        Files.write(file, out.toByteArray());
        return file;
    }
}
