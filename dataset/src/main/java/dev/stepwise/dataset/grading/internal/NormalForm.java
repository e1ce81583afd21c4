package dev.stepwise.dataset.grading.internal;

/**
 * An answer after normalisation.
 *
 * @param text the answer without delimiters, unit words, percent markers and cosmetic LaTeX
 * @param unit the canonical trailing unit ({@code "cm"}, {@code "dollar"}, {@code "hour"}), or null
 * @param percent whether a percent sign or word was dropped
 */
public record NormalForm(String text, String unit, boolean percent) {

    /** Returns the text followed by the unit, as reported in grade results. */
    public String display() {
        return unit == null ? text : text + " " + unit;
    }
}
