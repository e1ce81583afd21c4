package dev.stepwise.dataset.grading.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one normaliser that runs on both sides of a comparison. Stages, in order: size limit,
 * Unicode math symbols, currency and math delimiters, {@code \left}/{@code \right}, fraction
 * variants, text-style wrappers, matrices, degree marks, percent marks, spacing commands, single-character groups, thousands
 * separators, repeating decimals, {@code \mathbb{R}}, whitespace, then trailing unit words.
 */
public final class Normalizer {

    private static final Pattern BACKSLASH_DIGIT = Pattern.compile("\\\\(?=\\d)");
    private static final Pattern SIZING = Pattern.compile(
            "\\\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|big|Big|bigg|Bigg)(?![A-Za-z])\\s*\\.?");
    private static final Pattern FRACTION_VARIANT = Pattern.compile("\\\\[dtc]frac(?![A-Za-z])");
    private static final Pattern BINOMIAL_VARIANT = Pattern.compile("\\\\[dt]binom(?![A-Za-z])");
    private static final Pattern TEXT_WRAPPER = Pattern.compile(
            "\\\\(?:text|textbf|textit|textrm|textnormal|textsf|texttt|mathrm|mathbf|mathit|mathsf|"
                    + "mathnormal|mbox|hbox|operatorname|boldsymbol|bm)\\s*\\{");
    private static final Pattern STYLE = Pattern.compile("\\\\(?:displaystyle|textstyle|scriptstyle)(?![A-Za-z])");
    private static final Pattern DEGREE = Pattern.compile(
            "\\^\\s*\\{\\s*\\\\circ\\s*\\}|\\^\\s*\\\\circ|\\\\circ(?![A-Za-z])|\\\\degree(?![A-Za-z])|°");
    private static final Pattern PERCENT_SIGN = Pattern.compile("\\\\?%");
    private static final Pattern THIN_SPACE = Pattern.compile("\\\\[!,]");
    private static final Pattern WIDE_SPACE = Pattern.compile("\\\\[;: ]|~|\\\\q?quad(?![A-Za-z])");
    private static final Pattern MATRIX = Pattern.compile(
            "\\\\begin\\{([pbvBV]?matrix|array)\\}(?:\\{[^}]*\\})?(.*?)\\\\end\\{\\1\\}", Pattern.DOTALL);
    // A comma is a thousands separator only when every group after it has exactly three digits and
    // the first group has no leading zero, so 1,234 is a number and 0,1 and 1,23 are lists.
    private static final Pattern THOUSANDS = Pattern.compile("(?<![\\d.])([1-9]\\d{0,2})((?:,\\d{3})+)(?![\\d])");
    // x_{1} and x_1, 52_{8} and 52_8, x^{2} and x^2 are the same TeX.
    private static final Pattern SINGLE_TOKEN_GROUP = Pattern.compile("([_^])\\{\\s*([A-Za-z0-9])\\s*\\}");
    // 0.1\overline{6}: integer part, non-repeating decimals, repeating block.
    private static final Pattern REPEATING_DECIMAL = Pattern.compile("(\\d*)\\.(\\d*)\\\\overline\\{(\\d{1,50})\\}");
    private static final Pattern REAL_LINE = Pattern.compile("\\\\mathbb\\s*\\{\\s*R\\s*\\}|\\\\mathbb\\s*R(?![A-Za-z])");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TRAILING_WORD = Pattern.compile(
            "(\\s*)(/|[A-Za-z]+\\.?(?:\\s*\\^\\s*\\{?[23]\\}?)?)$");

    // Maximum unit length in words and slashes; "square feet per hour" has 4.
    private static final int MAX_UNIT_WORDS = 5;
    private static final Map<String, String> UNIT_ALIASES = unitAliases();

    private Normalizer() {}

    /**
     * Normalises one extracted answer.
     *
     * @throws GradingStoppedException when the answer is longer than {@code maxChars} or the deadline passed
     */
    public static NormalForm normalize(String answer, int maxChars, Deadline deadline) {
        if (answer.length() > maxChars) {
            throw new GradingStoppedException("answer has " + answer.length()
                    + " characters, more than the limit of " + maxChars);
        }
        String text = replaceUnicode(answer.strip());
        boolean dollar = text.contains("\\$");
        text = text.replace("\\$", " ").replace("$", "");
        // A backslash before a digit is no TeX command; models write \15 for \$15.
        text = BACKSLASH_DIGIT.matcher(text).replaceAll("");
        text = SIZING.matcher(text).replaceAll("");
        text = FRACTION_VARIANT.matcher(text).replaceAll("\\\\frac");
        text = BINOMIAL_VARIANT.matcher(text).replaceAll("\\\\binom");
        text = unwrapTextCommands(text, deadline);
        text = matricesToTuples(text, deadline);
        text = STYLE.matcher(text).replaceAll("");
        text = DEGREE.matcher(text).replaceAll("");
        boolean percent = PERCENT_SIGN.matcher(text).find();
        text = PERCENT_SIGN.matcher(text).replaceAll("");
        text = THIN_SPACE.matcher(text).replaceAll("");
        text = WIDE_SPACE.matcher(text).replaceAll(" ");
        text = text.replace("{,}", ",");
        text = SINGLE_TOKEN_GROUP.matcher(text).replaceAll("$1$2");
        text = removeThousandsSeparators(text);
        text = repeatingDecimalsToFractions(text);
        text = REAL_LINE.matcher(text).replaceAll("(-\\\\infty,\\\\infty)");
        text = WHITESPACE.matcher(text).replaceAll(" ").strip();
        text = stripTrailingPeriod(text);
        return splitUnit(text, dollar, percent, deadline);
    }

    private static String replaceUnicode(String text) {
        return text.replace('\u2212', '-').replace('\u2013', '-')
                .replace("\u00d7", "\\times ").replace("\u00b7", "\\cdot ").replace("\u00f7", "\\div ")
                .replace("\u2264", "\\le ").replace("\u2265", "\\ge ").replace("\u2260", "\\ne ")
                .replace("\u03c0", "\\pi ").replace("\u221e", "\\infty ").replace("\u222a", "\\cup ")
                .replace("\u221a", "\\sqrt").replace("\u2009", "").replace("\u00a0", " ");
    }

    /** Replaces {@code \text{X}} and similar wrappers with {@code " X "}, keeping nested braces of X. */
    private static String unwrapTextCommands(String text, Deadline deadline) {
        StringBuilder out = new StringBuilder();
        Matcher matcher = TEXT_WRAPPER.matcher(text);
        int copied = 0;
        while (matcher.find(copied)) {
            deadline.check();
            int open = matcher.end() - 1;
            int close = Braces.matching(text, open);
            if (close < 0) {
                break;
            }
            out.append(text, copied, matcher.start()).append(' ').append(text, open + 1, close).append(' ');
            copied = close + 1;
        }
        out.append(text.substring(copied));
        return out.toString();
    }

    /**
     * Rewrites {@code \begin{pmatrix} a & b \\ c & d \end{pmatrix}} as {@code ((a,b),(c,d))}; a single
     * row or column becomes a flat tuple.
     */
    private static String matricesToTuples(String text, Deadline deadline) {
        Matcher matcher = MATRIX.matcher(new CheckedCharSequence(text, deadline));
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            List<String> rows = new ArrayList<>();
            for (String row : matcher.group(2).split("\\\\\\\\")) {
                if (row.isBlank()) {
                    continue;
                }
                String[] cells = row.split("&");
                rows.add(cells.length == 1 ? cells[0].strip() : "(" + String.join(",", strip(cells)) + ")");
            }
            String tuple = rows.size() == 1 && rows.get(0).startsWith("(") ? rows.get(0) : "(" + String.join(",", rows) + ")";
            matcher.appendReplacement(out, Matcher.quoteReplacement(tuple));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static List<String> strip(String[] cells) {
        List<String> stripped = new ArrayList<>();
        for (String cell : cells) {
            stripped.add(cell.strip());
        }
        return stripped;
    }

    static String removeThousandsSeparators(String text) {
        Matcher matcher = THOUSANDS.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, matcher.group(1) + matcher.group(2).replace(",", ""));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * Rewrites {@code a.b\overline{c}} as the exact fraction it denotes, so {@code 0.\overline{3}}
     * becomes {@code \frac{3}{9}} and {@code 0.1\overline{6}} becomes {@code \frac{15}{90}}.
     */
    static String repeatingDecimalsToFractions(String text) {
        Matcher matcher = REPEATING_DECIMAL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String whole = matcher.group(1).isEmpty() ? "0" : matcher.group(1);
            String fixed = matcher.group(2);
            String repeating = matcher.group(3);
            // x = whole.fixed(repeating...) gives x * 10^f * (10^r - 1) = (whole fixed repeating) - (whole fixed).
            BigInteger withRepeat = new BigInteger(whole + fixed + repeating);
            BigInteger withoutRepeat = new BigInteger(whole + fixed);
            BigInteger numerator = withRepeat.subtract(withoutRepeat);
            BigInteger denominator = BigInteger.TEN.pow(fixed.length())
                    .multiply(BigInteger.TEN.pow(repeating.length()).subtract(BigInteger.ONE));
            matcher.appendReplacement(out, Matcher.quoteReplacement("\\frac{" + numerator + "}{" + denominator + "}"));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String stripTrailingPeriod(String text) {
        while (text.endsWith(".") && !text.endsWith("\\.")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        return text;
    }

    /**
     * Splits trailing unit words off a numeric answer. Units are whole tokens after a number or
     * {@code \pi}, separated by whitespace ({@code 5 centimeters}, {@code 3 cm^2}, {@code 60 miles per hour}) or
     * glued to the digits when they are known multi-letter units ({@code 18km}). A single letter
     * counts only when it is a known unit, so {@code 3 x} keeps its {@code x}.
     */
    private static NormalForm splitUnit(String text, boolean dollar, boolean percent, Deadline deadline) {
        List<String> words = new ArrayList<>();
        String core = text;
        while (true) {
            deadline.check();
            Matcher matcher = TRAILING_WORD.matcher(core);
            if (!matcher.find()) {
                break;
            }
            String prefix = core.substring(0, matcher.start());
            String word = matcher.group(2);
            boolean separated = !matcher.group(1).isEmpty() || word.equals("/") || prefix.endsWith("/")
                    || (!words.isEmpty() && words.get(0).equals("/"));
            if (prefix.endsWith("\\") || prefix.isEmpty()) {
                break;
            }
            if (!separated && !(isKnownUnit(word) && word.length() > 1 && endsWithDigit(prefix))) {
                break;
            }
            words.add(0, word);
            core = prefix;
            if (!separated) {
                break;
            }
        }
        core = core.strip();
        boolean unitFound = !words.isEmpty() && words.size() <= MAX_UNIT_WORDS && !words.get(0).equals("/")
                && looksNumeric(core) && singleLettersAreUnits(words);
        if (!unitFound) {
            return new NormalForm(text, dollar ? "dollar" : null, percent);
        }
        if (isPercentWord(words.get(words.size() - 1))) {
            percent = true;
            words.remove(words.size() - 1);
        }
        String unit = canonicalUnit(words);
        if (dollar && (unit == null || !unit.startsWith("dollar"))) {
            unit = unit == null ? "dollar" : "dollar " + unit;
        }
        return new NormalForm(stripTrailingPeriod(core), unit, percent);
    }

    private static boolean looksNumeric(String core) {
        if (core.isEmpty()) {
            return false;
        }
        char last = core.charAt(core.length() - 1);
        boolean endsLikeValue = Character.isDigit(last) || last == '}' || last == ')' || last == ']'
                || core.endsWith("\\pi");
        return endsLikeValue && (core.chars().anyMatch(Character::isDigit) || core.contains("\\pi"));
    }

    private static boolean endsWithDigit(String text) {
        return !text.isEmpty() && Character.isDigit(text.charAt(text.length() - 1));
    }

    private static boolean singleLettersAreUnits(List<String> words) {
        for (String word : words) {
            String letters = word.replaceAll("[^A-Za-z]", "");
            if (letters.length() == 1 && !isKnownUnit(word)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPercentWord(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        return lower.equals("percent") || lower.equals("percentage") || lower.equals("pct");
    }

    private static boolean isKnownUnit(String word) {
        return UNIT_ALIASES.containsKey(baseWord(word));
    }

    private static String baseWord(String word) {
        return word.replaceAll("\\s*\\^.*$", "").replace(".", "").toLowerCase(Locale.ROOT);
    }

    /** Returns the canonical unit text, or null for no unit ({@code units} and {@code square units} carry none). */
    static String canonicalUnit(List<String> words) {
        List<String> canonical = new ArrayList<>();
        for (String word : words) {
            String lower = word.toLowerCase(Locale.ROOT).replace(".", "").replaceAll("\\s+", "");
            String exponent = lower.contains("^") ? "^" + lower.replaceAll("[^23]", "") : "";
            String base = lower.replaceAll("\\^.*$", "");
            if (base.equals("per")) {
                base = "/";
            }
            canonical.add(UNIT_ALIASES.getOrDefault(base, singular(base)) + exponent);
        }
        String unit = String.join(" ", canonical).replace("sq ", "square ");
        if (unit.isEmpty() || unit.equals("unit") || unit.equals("square unit") || unit.equals("cubic unit")) {
            return null;
        }
        return unit;
    }

    private static String singular(String word) {
        if (word.length() > 4 && (word.endsWith("ches") || word.endsWith("shes") || word.endsWith("xes")
                || word.endsWith("sses"))) {
            return word.substring(0, word.length() - 2);
        }
        if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss")) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }

    private static Map<String, String> unitAliases() {
        Map<String, String> aliases = new java.util.HashMap<>();
        alias(aliases, "cm", "cm", "centimeter", "centimeters", "centimetre", "centimetres");
        alias(aliases, "mm", "mm", "millimeter", "millimeters", "millimetre", "millimetres");
        alias(aliases, "m", "m", "meter", "meters", "metre", "metres");
        alias(aliases, "km", "km", "kilometer", "kilometers", "kilometre", "kilometres");
        alias(aliases, "inch", "in", "inch", "inches");
        alias(aliases, "foot", "ft", "foot", "feet");
        alias(aliases, "yard", "yd", "yds", "yard", "yards");
        alias(aliases, "mile", "mi", "mile", "miles");
        alias(aliases, "second", "s", "sec", "secs", "second", "seconds");
        alias(aliases, "minute", "min", "mins", "minute", "minutes");
        alias(aliases, "hour", "h", "hr", "hrs", "hour", "hours");
        alias(aliases, "day", "day", "days");
        alias(aliases, "week", "week", "weeks", "wk", "wks");
        alias(aliases, "year", "year", "years", "yr", "yrs");
        alias(aliases, "g", "g", "gram", "grams");
        alias(aliases, "kg", "kg", "kilogram", "kilograms", "kgs");
        alias(aliases, "mg", "mg", "milligram", "milligrams");
        alias(aliases, "pound", "lb", "lbs", "pound", "pounds");
        alias(aliases, "ounce", "oz", "ounce", "ounces");
        alias(aliases, "liter", "l", "liter", "liters", "litre", "litres");
        alias(aliases, "ml", "ml", "milliliter", "milliliters", "millilitre", "millilitres");
        alias(aliases, "gallon", "gal", "gallon", "gallons");
        alias(aliases, "dollar", "dollar", "dollars", "usd");
        alias(aliases, "cent", "cent", "cents");
        alias(aliases, "degree", "deg", "degree", "degrees");
        alias(aliases, "mile / hour", "mph");
        alias(aliases, "km / hour", "kph", "kmh");
        return Map.copyOf(aliases);
    }

    private static void alias(Map<String, String> aliases, String canonical, String... spellings) {
        for (String spelling : spellings) {
            aliases.put(spelling, canonical);
        }
    }
}
