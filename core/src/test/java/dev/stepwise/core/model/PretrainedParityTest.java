package dev.stepwise.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Compares our logits with float32 logits that {@code transformers} computed for a real pretrained Llama. */
class PretrainedParityTest {

    @Test
    void storiesLogitsMatchTransformers() throws Exception {
        String shared = System.getenv("STEPWISE_SHARED_DATA");
        assumeTrue(shared != null, "STEPWISE_SHARED_DATA is unset, so the pretrained stories260K checkpoint is not available");
        Path dir = Path.of(shared, "models", "stories260k-hf");
        assumeTrue(Files.isDirectory(dir), dir + " does not exist");
        JsonNode reference = new ObjectMapper().readTree(dir.resolve("reference_logits.json").toFile());
        JsonNode ids = reference.get("input_ids");
        long[] inputIds = new long[ids.size()];
        for (int i = 0; i < inputIds.length; i++) {
            inputIds[i] = ids.get(i).asLong();
        }

        try (DecoderModel model = DecoderModel.load(dir, Device.cpu());
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray input = manager.create(inputIds).reshape(1, inputIds.length);
            NDArray mask = manager.ones(input.getShape(), ai.djl.ndarray.types.DataType.INT64);
            float[] logits = model.lmLogits(model.hiddenStates(input, mask)).toFloatArray();

            int vocab = model.config().vocabSize();
            JsonNode expected = reference.get("logits");
            assertEquals(inputIds.length * vocab, logits.length);
            double maxError = 0;
            for (int position = 0; position < inputIds.length; position++) {
                for (int token = 0; token < vocab; token++) {
                    double error = Math.abs(expected.get(position).get(token).asDouble() - logits[position * vocab + token]);
                    maxError = Math.max(maxError, error);
                }
            }
            assertEquals(0, maxError, 1e-4, "largest absolute logit difference over 4 positions");
        }
    }
}
