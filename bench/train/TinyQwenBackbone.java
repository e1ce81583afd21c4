import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a backbone folder for `stepwise train --random-init`: a small Qwen2 config.json sized for the Qwen2.5
 * tokenizer plus that tokenizer with <extra_0> registered as a special token, the Qwen2.5-Math-PRM separator.
 *
 * Usage: java -cp CLASSPATH TinyQwenBackbone.java QWEN_TOKENIZER_DIR OUT_DIR HIDDEN LAYERS
 */
public class TinyQwenBackbone {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[1]);
        int hidden = Integer.parseInt(args[2]);
        int layers = Integer.parseInt(args[3]);
        Files.createDirectories(out);
        try (TextTokenizer base = TextTokenizer.load(Path.of(args[0]));
                TextTokenizer withSeparator = base.withSpecialTokens(List.of("<extra_0>"))) {
            withSeparator.save(out);
            int vocab = (int) withSeparator.tokenId("<extra_0>").orElseThrow() + 1;
            ModelConfig config = ModelConfig.builder(Architecture.QWEN2).hiddenSize(hidden)
                    .intermediateSize(hidden * 4).numHiddenLayers(layers).numAttentionHeads(4).numKeyValueHeads(2)
                    .vocabSize(vocab).tieWordEmbeddings(true).build();
            ObjectNode json = config.toJson();
            Files.writeString(out.resolve("config.json"), new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(json));
            System.out.println("wrote " + out + ": vocab " + vocab + ", hidden " + hidden + ", layers " + layers);
        }
    }
}
