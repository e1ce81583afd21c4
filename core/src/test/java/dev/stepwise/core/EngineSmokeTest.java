package dev.stepwise.core;

import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import java.nio.file.Path;
import static org.junit.jupiter.api.Assertions.*;

class EngineSmokeTest {
    @Test
    void engineRunsOffline() throws Exception {
        Engine e = Engine.getEngine("PyTorch");
        System.out.println("engine " + e.getEngineName() + " " + e.getVersion());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3});
            assertEquals(14f, a.mul(a).sum().getFloat());
        }
        String shared = System.getenv("STEPWISE_SHARED_DATA");
        if (shared != null) {
            try (HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(Path.of(shared, "tokenizers/qwen2.5/tokenizer.json"))) {
                System.out.println(java.util.Arrays.toString(t.encode("Step 1: 2+2=4").getIds()));
            }
        }
    }
}
