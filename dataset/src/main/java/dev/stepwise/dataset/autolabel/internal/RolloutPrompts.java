package dev.stepwise.dataset.autolabel.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prompt text and reproducible seeds of rollouts. */
public final class RolloutPrompts {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{problem\\}|\\{steps\\}");

    private final String template;
    private final String separator;
    private final long baseSeed;

    public RolloutPrompts(String template, String separator, long baseSeed) {
        this.template = template;
        this.separator = separator;
        this.baseSeed = baseSeed;
    }

    /**
     * Returns the prompt whose prefix ends with step {@code step}: the template with {@code {problem}}
     * replaced by the problem and {@code {steps}} by steps 0..step, each followed by the separator.
     * Placeholder text inside the problem or steps is left alone.
     */
    public String prompt(Trace trace, int step) {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i <= step; i++) {
            prefix.append(trace.steps().get(i)).append(separator);
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = matcher.group().equals("{problem}") ? trace.problem() : prefix.toString();
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Joins all steps with the separator: the whole solution, for the direct grade of the last step. */
    public String solution(Trace trace) {
        return String.join(separator, trace.steps());
    }

    /**
     * Returns the seed of sample 0 of a step; sample {@code i} uses this value plus {@code i}.
     *
     * <p>The value is the first 30 bits of SHA-256 over the base seed, the record id and the step
     * index (UTF-8, newline-separated), so it depends on nothing else: a resumed job sends the same
     * seeds as an uninterrupted one. 30 bits leave room for {@code + i} below 2^31, the seed range
     * that every common server accepts.
     */
    public long stepSeed(String recordId, int step) {
        byte[] digest = sha256(baseSeed + "\n" + recordId + "\n" + step);
        int value = ((digest[0] & 0xFF) << 24) | ((digest[1] & 0xFF) << 16) | ((digest[2] & 0xFF) << 8) | (digest[3] & 0xFF);
        return value & 0x3FFF_FFFF;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM, which every Java SE runtime must provide", e);
        }
    }
}
