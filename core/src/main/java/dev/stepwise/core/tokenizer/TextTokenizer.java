package dev.stepwise.core.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.core.tokenizer.internal.TokenizerFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A Hugging Face {@code tokenizer.json} tokenizer that never adds special tokens, never truncates and
 * never pads.
 *
 * <p>DJL's {@link HuggingFaceTokenizer} truncates to 512 tokens and pads by default, so every one of
 * those options is set here explicitly. Character offsets are converted from the native library's
 * code-point offsets to UTF-16 indexes of the Java {@code String}.
 *
 * <p>Special tokens can be registered after loading ({@link #withSpecialTokens}): DJL has no call
 * for that, so the tokenizer JSON is rewritten with the tokens in {@code added_tokens} and loaded from
 * a temporary file. {@link #save} writes that rewritten JSON, so a model saved with it keeps the ids.
 *
 * <p>Thread-safety: {@link #encode} and {@link #decode} may be called from many threads at once.
 * Closing releases the native tokenizer and deletes the temporary file; the caller that loaded a
 * tokenizer closes it.
 */
public final class TextTokenizer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TextTokenizer.class);

    /** File name of the tokenizer inside a model folder. */
    public static final String TOKENIZER_FILE = "tokenizer.json";
    /** File name of the optional tokenizer configuration inside a model folder. */
    public static final String CONFIG_FILE = "tokenizer_config.json";

    private final HuggingFaceTokenizer tokenizer;
    private final Path origin;
    private final byte[] tokenizerJson;
    private final JsonNode parsedJson;
    private final byte[] configJson;
    private final Map<String, Long> vocabulary;
    private final List<String> registeredTokens;
    private final Path temporaryFile;
    private final String sha256;
    private final OptionalLong bosId;
    private final OptionalLong eosId;
    private final OptionalLong padId;

    private TextTokenizer(Path origin, byte[] tokenizerJson, JsonNode parsedJson, byte[] configJson,
                          List<String> registeredTokens, Path temporaryFile) throws IOException {
        this.origin = origin;
        this.tokenizerJson = tokenizerJson;
        this.parsedJson = parsedJson;
        this.configJson = configJson;
        this.registeredTokens = List.copyOf(registeredTokens);
        this.temporaryFile = temporaryFile;
        this.vocabulary = Map.copyOf(TokenizerFiles.vocabulary(parsedJson, origin));
        this.sha256 = sha256Hex(tokenizerJson);
        Path loadFrom = temporaryFile != null ? temporaryFile : origin;
        this.tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(loadFrom)
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .optPadding(false)
                .optMaxLength(Integer.MAX_VALUE)
                .optWithOverflowingTokens(false)
                .build();
        JsonNode config = configJson == null ? null : TokenizerFiles.parseJson(configJson, origin.resolveSibling(CONFIG_FILE));
        this.bosId = specialId(config, "bos_token");
        this.eosId = specialId(config, "eos_token");
        this.padId = specialId(config, "pad_token");
    }

    /**
     * Loads a tokenizer from a {@code tokenizer.json} file or from a folder that contains one.
     *
     * <p>A {@code tokenizer_config.json} beside it, when present, supplies the bos, eos and pad
     * tokens; added tokens listed there but missing from {@code tokenizer.json} are registered as
     * special tokens.
     *
     * @throws IOException when the file is missing or is not a valid tokenizer
     */
    public static TextTokenizer load(Path fileOrDir) throws IOException {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(TOKENIZER_FILE) : fileOrDir;
        if (!Files.isRegularFile(file)) {
            throw new IOException("Tokenizer file not found: " + file
                    + " (expected a tokenizer.json file or a folder that contains one)");
        }
        Path configFile = file.resolveSibling(CONFIG_FILE);
        byte[] config = Files.isRegularFile(configFile) ? Files.readAllBytes(configFile) : null;
        byte[] bytes = Files.readAllBytes(file);
        JsonNode json = TokenizerFiles.parseJson(bytes, file);
        List<String> missing = new ArrayList<>();
        if (config != null) {
            Map<String, Long> vocab = TokenizerFiles.vocabulary(json, file);
            TokenizerFiles.configAddedTokens(TokenizerFiles.parseJson(config, configFile)).forEach((token, special) -> {
                if (!vocab.containsKey(token)) {
                    missing.add(token);
                }
            });
        }
        if (missing.isEmpty()) {
            return new TextTokenizer(file, bytes, json, config, List.of(), null);
        }
        LOG.warn("{} lists added tokens {} that {} lacks; registering them as special tokens", configFile, missing, file);
        return rewritten(file, json, config, missing, List.of());
    }

    private static TextTokenizer rewritten(Path origin, JsonNode json, byte[] config, List<String> tokens,
                                           List<String> alreadyRegistered) throws IOException {
        JsonNode updated = TokenizerFiles.withAddedSpecialTokens(json, TokenizerFiles.vocabulary(json, origin), tokens);
        byte[] bytes = TokenizerFiles.toBytes(updated);
        Path temporary = Files.createTempFile("stepwise-tokenizer-", ".json");
        try {
            TokenizerFiles.write(temporary, bytes);
            List<String> registered = new ArrayList<>(alreadyRegistered);
            registered.addAll(tokens);
            return new TextTokenizer(origin, bytes, updated, config, registered, temporary);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /**
     * Returns a new tokenizer in which each of {@code tokens} is one special token, so that it
     * encodes to a single id wherever it occurs in text. Tokens that already are added tokens stay
     * as they are. A token of the model vocabulary keeps its id, and others get new ids after the
     * largest id in use. This tokenizer stays open and usable, and the caller closes both.
     */
    public TextTokenizer withSpecialTokens(List<String> tokens) throws IOException {
        List<String> toAdd = new ArrayList<>();
        for (String token : tokens) {
            if (token.isEmpty()) {
                throw new IllegalArgumentException("A special token must not be empty");
            }
            if (!isAddedToken(token) && !toAdd.contains(token)) {
                toAdd.add(token);
            }
        }
        if (toAdd.isEmpty()) {
            return new TextTokenizer(origin, tokenizerJson, parsedJson, configJson, registeredTokens,
                    copyOfTemporaryFile());
        }
        LOG.info("Registering special tokens {} in tokenizer {}", toAdd, origin);
        return rewritten(origin, parsedJson, configJson, toAdd, registeredTokens);
    }

    private Path copyOfTemporaryFile() throws IOException {
        if (temporaryFile == null) {
            return null;
        }
        Path copy = Files.createTempFile("stepwise-tokenizer-", ".json");
        Files.write(copy, tokenizerJson);
        return copy;
    }

    private boolean isAddedToken(String token) {
        for (JsonNode added : parsedJson.path("added_tokens")) {
            if (token.equals(added.path("content").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Encodes {@code text} without special tokens, truncation or padding.
     *
     * @return ids with UTF-16 character spans into {@code text}
     */
    public Encoding encode(String text) {
        ai.djl.huggingface.tokenizers.Encoding encoding = tokenizer.encode(text, false, false);
        long[] ids = encoding.getIds();
        CharSpan[] spans = encoding.getCharTokenSpans();
        int[] start = new int[ids.length];
        int[] end = new int[ids.length];
        int[] utf16Index = codePointToUtf16Index(text);
        for (int i = 0; i < ids.length; i++) {
            CharSpan span = spans[i];
            if (span == null) {
                start[i] = -1;
                end[i] = -1;
            } else {
                start[i] = utf16Index == null ? span.getStart() : utf16Index[span.getStart()];
                end[i] = utf16Index == null ? span.getEnd() : utf16Index[span.getEnd()];
            }
        }
        return new Encoding(ids, start, end);
    }

    /**
     * Maps code-point offsets, which the native library returns, to UTF-16 indexes. Returns null
     * when the text has no surrogate pairs, because then both are the same.
     */
    private static int[] codePointToUtf16Index(String text) {
        int codePoints = text.codePointCount(0, text.length());
        if (codePoints == text.length()) {
            return null;
        }
        int[] index = new int[codePoints + 1];
        int utf16 = 0;
        for (int cp = 0; cp < codePoints; cp++) {
            index[cp] = utf16;
            utf16 += Character.charCount(text.codePointAt(utf16));
        }
        index[codePoints] = utf16;
        return index;
    }

    /** Returns the id of {@code token} as written in the vocabulary or the added tokens, if present. */
    public OptionalLong tokenId(String token) {
        Long id = vocabulary.get(token);
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /** Decodes ids to text, keeping special tokens. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    /** Number of ids the tokenizer can produce: the largest id in the vocabulary or added tokens, plus one. */
    public int vocabSize() {
        return (int) (vocabulary.values().stream().mapToLong(Long::longValue).max().orElse(-1) + 1);
    }

    /**
     * Hex SHA-256 of the tokenizer JSON in effect: the bytes of {@code tokenizer.json}, or of the
     * rewritten JSON when special tokens were registered. Two tokenizers with the same hash give
     * the same ids.
     */
    public String sha256() {
        return sha256;
    }

    public OptionalLong bosId() {
        return bosId;
    }

    public OptionalLong eosId() {
        return eosId;
    }

    public OptionalLong padId() {
        return padId;
    }

    /** Special tokens that stepwise registered on top of the loaded files, in registration order. */
    public List<String> registeredTokens() {
        return registeredTokens;
    }

    /** Returns the {@code tokenizer.json} file this tokenizer was loaded from. */
    public Path origin() {
        return origin;
    }

    /**
     * Writes {@code tokenizer.json} (including registered special tokens) and, when one was loaded,
     * {@code tokenizer_config.json} into {@code dir}, creating the folder if needed.
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(TOKENIZER_FILE), tokenizerJson);
        if (configJson != null) {
            Files.write(dir.resolve(CONFIG_FILE), configJson);
        }
    }

    private OptionalLong specialId(JsonNode config, String key) {
        if (config == null) {
            return OptionalLong.empty();
        }
        return TokenizerFiles.specialTokenText(config, key).map(this::tokenId).orElse(OptionalLong.empty());
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM; every Java platform must provide it", e);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
        if (temporaryFile != null) {
            try {
                Files.deleteIfExists(temporaryFile);
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to delete temporary tokenizer file " + temporaryFile, e);
            }
        }
    }

    @Override
    public String toString() {
        return "TextTokenizer[" + origin + ", vocabSize=" + vocabSize() + ", registered=" + registeredTokens
                + ", sha256=" + sha256.substring(0, 12) + "]";
    }
}
