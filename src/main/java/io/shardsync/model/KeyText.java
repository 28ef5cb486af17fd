package io.shardsync.model;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * How MySQL compares a key column's text, as a canonical form: texts the column's collation holds
 * equal ({@code 'k1'}, {@code 'K1'} and {@code 'K1 '} in a {@code _ci} PAD SPACE collation) are one
 * row to MySQL, so they must be one key to the job — partitioned to the same subtask, merged under
 * one version, compacted to one write. The canonical form is itself equal to the original under the
 * collation, so a statement that names a row by it ({@code DELETE ... WHERE id = ?}) still finds
 * that row.
 *
 * <p>Case and accents are folded for the untailored Unicode and general collations, which ignore
 * both for every letter; a language's collation folds ASCII case only, since its alphabet holds
 * some accented letters as letters of their own (Swedish {@code å}), and Turkish and Azeri fold
 * nothing ({@code i} and {@code I} are two letters there). A letter is folded only where its upper
 * case maps back to it, so no fold makes two texts one that MySQL keeps apart.
 */
public record KeyText(boolean padSpace, Fold fold) {
    /** What case-insensitivity a collation has. */
    public enum Fold {
        NONE,
        ASCII_CASE,
        CASE_AND_ACCENTS
    }

    /** Exact comparison: binary strings, numbers, temporals. */
    public static final KeyText EXACT = new KeyText(false, Fold.NONE);

    private static final Map<String, KeyText> BY_COLLATION = new ConcurrentHashMap<>();

    /**
     * The collations that ignore case and accents for every letter alike (no language's tailoring,
     * no accent sensitivity): the only ones folded beyond ASCII.
     */
    private static final Pattern UNTAILORED =
            Pattern.compile(
                    "(utf8mb4|utf8mb3|utf8)_(general|unicode|unicode_520|0900_ai|uca1400)"
                            + "(_nopad)?(_ai)?_ci");

    private static final Pattern DOTLESS_I = Pattern.compile("turkish|azeri|_tr_|_az_");

    /** The comparison of a column with the given collation (null: not a text column). */
    public static KeyText of(String collation) {
        return collation == null ? EXACT : BY_COLLATION.computeIfAbsent(collation, KeyText::parse);
    }

    private static KeyText parse(String collation) {
        String name = collation.toLowerCase(Locale.ROOT);
        // MariaDB's _nopad_ collations and MySQL 8's _0900_ ones count trailing spaces.
        boolean padSpace = !name.contains("_nopad_") && !name.contains("_0900_");
        if (!name.endsWith("_ci") || DOTLESS_I.matcher(name).find()) {
            // Turkish and Azeri hold i and I apart (their pairs are i/İ and ı/I): not even ASCII
            return new KeyText(padSpace, Fold.NONE);
        }
        return new KeyText(
                padSpace,
                UNTAILORED.matcher(name).matches() ? Fold.CASE_AND_ACCENTS : Fold.ASCII_CASE);
    }

    /** The canonical form of a key value (null stays null). */
    public String canonical(String value) {
        if (value == null || this.equals(EXACT)) {
            return value;
        }
        String text = padSpace ? withoutTrailingSpaces(value) : value;
        return switch (fold) {
            case NONE -> text;
            case ASCII_CASE -> asciiUpper(text);
            case CASE_AND_ACCENTS -> upperWithoutAccents(text);
        };
    }

    /** PAD SPACE pads with spaces only: a trailing tab counts. */
    private static String withoutTrailingSpaces(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        return text.substring(0, end);
    }

    private static String asciiUpper(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        return out.toString();
    }

    private static String upperWithoutAccents(String text) {
        boolean ascii = true;
        for (int i = 0; i < text.length() && ascii; i++) {
            ascii = text.charAt(i) < 0x80;
        }
        if (ascii) {
            return asciiUpper(text);
        }
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed
                .codePoints()
                .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
                .map(KeyText::upper)
                .forEach(out::appendCodePoint);
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }

    /** A letter's upper case, where lower-casing that gives the letter back; else the letter. */
    private static int upper(int c) {
        int upper = Character.toUpperCase(c);
        return Character.toLowerCase(upper) == Character.toLowerCase(c) ? upper : c;
    }
}
