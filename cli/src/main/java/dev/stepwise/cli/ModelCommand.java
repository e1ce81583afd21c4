package dev.stepwise.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.safetensors.Safetensors;
import dev.stepwise.core.safetensors.TensorInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stepwise model}: inspect a Hugging Face model folder and run its backbone. */
@Command(
        name = "model",
        description = "Inspects a Hugging Face model folder and runs its backbone.",
        mixinStandardHelpOptions = true,
        subcommands = {ModelCommand.Info.class, ModelCommand.Logits.class, ModelBenchCommand.class})
final class ModelCommand implements Runnable {

    static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Returns the model folder given either as the positional DIR or with {@code --model DIR}.
     *
     * @throws CommandLine.ParameterException when both or neither are given
     */
    static Path modelFolder(CommandLine.Model.CommandSpec spec, Path positional, Path option) {
        if (positional != null && option != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "model folder given twice, as DIR ("
                    + positional + ") and with --model (" + option + "); give only one");
        }
        if (positional == null && option == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "missing model folder; give it as DIR or with --model DIR");
        }
        return positional != null ? positional : option;
    }

    /** {@code stepwise model info DIR} or {@code stepwise model info --model DIR}. */
    @Command(
            name = "info",
            mixinStandardHelpOptions = true,
            description = {
                "Prints the architecture, parameter count, dtype, heads and tokenizer of a model folder.",
                "Reads config.json, the safetensors headers and, when present, tokenizer.json and",
                "tokenizer_config.json; loads no weights."
            })
    static final class Info implements Callable<Integer> {

        @Parameters(paramLabel = "DIR", arity = "0..1", description = "Model folder with config.json and "
                + "model.safetensors or model.safetensors.index.json; or give it with --model.")
        Path dir;

        @Option(names = "--model", paramLabel = "DIR", description = "Model folder, instead of DIR.")
        Path modelOption;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            ObjectNode summary = ModelSummary.describe(modelFolder(spec, dir, modelOption));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
            } else {
                summary.fields().forEachRemaining(field -> out.printf("%-16s %s%n", field.getKey() + ":",
                        field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString()));
            }
            out.flush();
            return 0;
        }
    }

    /** {@code stepwise model logits DIR --input-ids 1,403,407}, or with {@code --model DIR} in place of DIR. */
    @Command(
            name = "logits",
            mixinStandardHelpOptions = true,
            description = {
                "Runs the backbone and language-model head over token ids and prints the logits.",
                "The output is one JSON object: {\"input_ids\": [...], \"logits\": [[vocab_size floats] per "
                        + "position]}."
            })
    static final class Logits implements Callable<Integer> {

        @Parameters(paramLabel = "DIR", arity = "0..1", description = "Model folder; or give it with --model.")
        Path dir;

        @Option(names = "--model", paramLabel = "DIR", description = "Model folder, instead of DIR.")
        Path modelOption;

        @Option(names = "--input-ids", required = true, split = ",", paramLabel = "ID",
                description = "Comma-separated token ids of one sequence, for example 1,403,407.")
        long[] inputIds;

        @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
                description = "Device to run on: cpu or gpu0, gpu1, ... (default: ${DEFAULT-VALUE}).")
        String device;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Path model = modelFolder(spec, dir, modelOption);

            int vocabSize = ModelConfig.read(model.resolve("config.json")).vocabSize();
            for (int i = 0; i < inputIds.length; i++) {
                if (inputIds[i] < 0 || inputIds[i] >= vocabSize) {
                    throw new IllegalArgumentException("--input-ids: id " + inputIds[i] + " at index " + i
                            + " is outside the vocabulary of " + model + "; expected an id in [0, " + vocabSize + ")");
                }
            }
            ObjectNode result = JSON.createObjectNode();
            ArrayNode ids = result.putArray("input_ids");
            for (long id : inputIds) {
                ids.add(id);
            }
            ArrayNode logitRows = result.putArray("logits");
            try (DecoderModel decoder = DecoderModel.load(model, DeviceOption.parse(device));
                    NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                NDArray input = manager.create(inputIds).reshape(1, inputIds.length);
                NDArray mask = manager.ones(input.getShape(), DataType.INT64);
                NDArray logits = decoder.lmLogits(decoder.hiddenStates(input, mask));
                int vocab = Math.toIntExact(logits.getShape().get(2));
                float[] values = logits.toFloatArray();
                for (int position = 0; position < inputIds.length; position++) {
                    ArrayNode row = logitRows.addArray();
                    for (int token = 0; token < vocab; token++) {
                        row.add(values[position * vocab + token]);
                    }
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(JSON.writeValueAsString(result));
            out.flush();
            return 0;
        }
    }

    /** Builds the summary {@code model info} prints, from files only. */
    static final class ModelSummary {

        private ModelSummary() {}

        static ObjectNode describe(Path dir) throws IOException {
            ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
            List<TensorInfo> tensors = Safetensors.readHeader(dir);
            ObjectNode summary = JSON.createObjectNode();
            summary.put("model", dir.toString());
            summary.put("architecture", config.architecture() + " " + config.architectures());
            summary.put("parameters", tensors.stream().mapToLong(TensorInfo::elementCount).sum());
            summary.put("dtype", dtypes(tensors, config));
            summary.put("shape", config.numHiddenLayers() + " layers, hidden " + config.hiddenSize() + ", intermediate "
                    + config.intermediateSize() + ", " + config.numAttentionHeads() + " heads of " + config.headDim()
                    + ", " + config.numKeyValueHeads() + " key/value heads, vocabulary " + config.vocabSize());
            summary.put("heads", heads(tensors, config));
            describeTokenizer(dir, config, summary);
            return summary;
        }

        private static String dtypes(List<TensorInfo> tensors, ModelConfig config) {
            Map<String, Long> counts = new TreeMap<>();
            tensors.forEach(t -> counts.merge(t.dtype(), t.elementCount(), Long::sum));
            String stored = String.join(", ", counts.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + " parameters)").toList());
            String declared = config.raw().path("torch_dtype").asText("");
            return declared.isEmpty() ? stored : stored + "; config.json torch_dtype " + declared;
        }

        private static String heads(List<TensorInfo> tensors, ModelConfig config) {
            TreeSet<String> heads = new TreeSet<>();
            for (TensorInfo tensor : tensors) {
                String name = tensor.name();
                if (!name.startsWith("model.") && !name.startsWith("layers.") && !name.startsWith("embed_tokens.")
                        && !name.startsWith("norm.")) {
                    heads.add(name + " " + tensor.shape());
                }
            }
            if (heads.stream().noneMatch(h -> h.startsWith("lm_head.")) && config.tieWordEmbeddings()) {
                heads.add("lm_head (tied to model.embed_tokens)");
            }
            return heads.isEmpty() ? "none (backbone only)" : String.join(", ", heads);
        }

        private static void describeTokenizer(Path dir, ModelConfig config, ObjectNode summary) throws IOException {
            Path tokenizerFile = dir.resolve("tokenizer.json");
            Path tokenizerConfigFile = dir.resolve("tokenizer_config.json");
            JsonNode tokenizer = Files.isRegularFile(tokenizerFile) ? JSON.readTree(tokenizerFile.toFile()) : null;
            JsonNode tokenizerConfig = Files.isRegularFile(tokenizerConfigFile)
                    ? JSON.readTree(tokenizerConfigFile.toFile()) : null;
            if (tokenizer == null && tokenizerConfig == null) {
                summary.put("tokenizer", "none (no tokenizer.json or tokenizer_config.json)");
            } else if (tokenizer == null) {
                summary.put("tokenizer", "tokenizer_config.json only (no tokenizer.json)");
            } else {
                JsonNode vocab = tokenizer.path("model").path("vocab");
                summary.put("tokenizer", "tokenizer.json, " + tokenizer.path("model").path("type").asText("unknown model")
                        + ", " + vocab.size() + " vocabulary entries + " + tokenizer.path("added_tokens").size()
                        + " added tokens");
            }
            summary.put("special tokens", specialTokens(tokenizer, tokenizerConfig, config));
        }

        private static String specialTokens(JsonNode tokenizer, JsonNode tokenizerConfig, ModelConfig config) {
            List<String> parts = new ArrayList<>();
            for (String role : List.of("bos", "eos", "pad", "unk")) {
                String token = tokenizerConfig == null ? null : tokenText(tokenizerConfig.get(role + "_token"));
                Integer configId = switch (role) {
                    case "bos" -> config.bosTokenId();
                    case "eos" -> config.eosTokenId();
                    case "pad" -> config.padTokenId();
                    default -> null;
                };
                Integer id = token == null ? configId : tokenId(tokenizer, token);
                if (token != null || id != null) {
                    parts.add(role + " " + (token == null ? "" : token + " ") + "= " + (id == null ? "not in vocabulary" : id));
                }
            }
            List<String> added = new ArrayList<>();
            if (tokenizer != null) {
                for (JsonNode token : tokenizer.path("added_tokens")) {
                    if (token.path("special").asBoolean(false)) {
                        added.add(token.path("content").asText() + "=" + token.path("id").asText());
                    }
                }
            }
            if (!added.isEmpty()) {
                parts.add(added.size() + " special added tokens: " + String.join(" ", added));
            }
            return parts.isEmpty() ? "none" : String.join("; ", parts);
        }

        private static String tokenText(JsonNode value) {
            if (value == null || value.isNull()) {
                return null;
            }
            return value.isObject() ? value.path("content").asText(null) : value.asText();
        }

        private static Integer tokenId(JsonNode tokenizer, String token) {
            if (tokenizer == null) {
                return null;
            }
            for (JsonNode added : tokenizer.path("added_tokens")) {
                if (token.equals(added.path("content").asText())) {
                    return added.path("id").asInt();
                }
            }
            JsonNode id = tokenizer.path("model").path("vocab").get(token);
            return id == null || !id.isInt() ? null : id.asInt();
        }
    }
}
