package dev.stepwise.dataset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Assigns a problem to the train, validation or test split by a SHA-256 hash of its text, so the
 * assignment is the same on every run and machine, and all traces of one problem land in one split.
 *
 * <p>The hash input is {@code salt + "\n" + problem} with surrounding whitespace stripped and inner
 * runs of whitespace collapsed to one space; its first 8 bytes, read as an unsigned number and
 * scaled to [0, 1), are compared with the cumulative fractions.
 *
 * @param trainFraction      share of problems in train, in [0, 1]
 * @param validationFraction share in validation; test gets the rest
 * @param salt               changes the assignment when a different split is wanted; empty by default
 */
public record SplitAssigner(double trainFraction, double validationFraction, String salt) {

    /** The three splits. */
    public enum Split {
        TRAIN, VALIDATION, TEST;

        /** Lower-case name used in file names, for example {@code validation}. */
        public String fileName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public SplitAssigner {
        if (!(trainFraction >= 0 && trainFraction <= 1) || !(validationFraction >= 0 && validationFraction <= 1)
                || trainFraction + validationFraction > 1 + 1e-9) {
            throw new IllegalArgumentException("Split fractions must lie in [0, 1] and sum to at most 1; found train "
                    + trainFraction + ", validation " + validationFraction);
        }
        java.util.Objects.requireNonNull(salt, "salt");
    }

    public Split assign(String problem) {
        double position = unitHash(salt + "\n" + problem.strip().replaceAll("\\s+", " "));
        if (position < trainFraction) {
            return Split.TRAIN;
        }
        return position < trainFraction + validationFraction ? Split.VALIDATION : Split.TEST;
    }

    private static double unitHash(String text) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM; every Java platform must provide it", e);
        }
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (digest[i] & 0xFF);
        }
        return (bits >>> 11) * 0x1.0p-53;
    }
}
