package dev.stepwise.dataset.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes a byte-level tokenizer for the demo models: one token per UTF-8 byte, no merges, plus the
 * special tokens {@link #PAD}, {@link #EOS} and {@link #STEP_SEPARATOR}. Ids 0 to 255 are the bytes
 * (id = byte value), 256 to 258 the special tokens, so the vocabulary size is {@link #VOCAB_SIZE}.
 *
 * <p>The files follow the Hugging Face {@code tokenizers} format: a BPE model with an empty merge
 * list behind the ByteLevel pre-tokenizer and decoder, which map every byte to a printable
 * character (space becomes {@code Ġ}, newline {@code Ċ}). Any text encodes, and ASCII text gives one
 * token per character.
 */
public final class DemoTokenizer {
    /** Padding token, id 256. */
    public static final String PAD = "<pad>";
    /** End-of-sequence token, id 257. */
    public static final String EOS = "<eos>";
    /** Step separator: the token after each step whose hidden state the PRM head scores, id 258. */
    public static final String STEP_SEPARATOR = "<step>";
    /** Bytes plus the three special tokens. */
    public static final int VOCAB_SIZE = 259;

    private static final List<String> SPECIAL_TOKENS = List.of(PAD, EOS, STEP_SEPARATOR);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DemoTokenizer() {}

    /**
     * Writes {@code tokenizer.json} and {@code tokenizer_config.json} into {@code dir}, creating it
     * when missing and replacing files of the same names.
     *
     * @return {@code dir}
     */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        writeAtomically(dir.resolve("tokenizer.json"), tokenizerJson());
        writeAtomically(dir.resolve("tokenizer_config.json"), tokenizerConfig());
        return dir;
    }

    /** The id of {@code token}: its byte value for a one-byte token, 256 and up for the special tokens. */
    public static int idOf(String token) {
        int special = SPECIAL_TOKENS.indexOf(token);
        if (special >= 0) {
            return 256 + special;
        }
        throw new IllegalArgumentException("'" + token + "' is not a special token; expected one of " + SPECIAL_TOKENS);
    }

    static ObjectNode tokenizerJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
            ObjectNode token = added.addObject();
            token.put("id", 256 + i);
            token.put("content", SPECIAL_TOKENS.get(i));
            token.put("single_word", false);
            token.put("lstrip", false);
            token.put("rstrip", false);
            token.put("normalized", false);
            token.put("special", true);
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(f));
        root.putNull("post_processor");
        root.set("decoder", byteLevel(f));

        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        String[] symbols = byteSymbols();
        for (int b = 0; b < 256; b++) {
            vocab.put(symbols[b], b);
        }
        for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
            vocab.put(SPECIAL_TOKENS.get(i), 256 + i);
        }
        model.putArray("merges");
        return root;
    }

    private static ObjectNode tokenizerConfig() {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.put("pad_token", PAD);
        config.put("eos_token", EOS);
        config.putNull("bos_token");
        config.put("add_bos_token", false);
        config.put("add_eos_token", false);
        config.put("model_max_length", 1_000_000);
        return config;
    }

    private static ObjectNode byteLevel(JsonNodeFactory f) {
        ObjectNode node = f.objectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", false);
        node.put("trim_offsets", true);
        node.put("use_regex", true);
        return node;
    }

    /**
     * The printable character that the ByteLevel pre-tokenizer substitutes for each byte: printable
     * Latin-1 bytes stand for themselves, the other 68 bytes take the code points from 256 upward in
     * byte order.
     */
    static String[] byteSymbols() {
        String[] symbols = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            symbols[b] = new String(Character.toChars(printable ? b : next++));
        }
        return symbols;
    }

    private static void writeAtomically(Path target, ObjectNode json) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        JSON.writeValue(temporary.toFile(), json);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
