package io.shardsync.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class KeyTextTest {
    @Test
    void unicodeAndGeneralCollationsIgnoreCaseAccentsAndTrailingSpaces() {
        for (String collation :
                new String[] {
                    "utf8mb4_unicode_ci", "utf8mb4_general_ci", "utf8mb3_unicode_520_ci"
                }) {
            KeyText text = KeyText.of(collation);
            assertEquals(text.canonical("k1"), text.canonical("K1 "), collation);
            assertEquals(text.canonical("Crème"), text.canonical("CREME"), collation);
            assertEquals("STRASSE", text.canonical("strasse"), collation);
        }
    }

    @Test
    void aLetterWhoseUpperCaseIsAnotherLettersStaysApart() {
        KeyText text = KeyText.of("utf8mb4_unicode_ci");
        // dotless i: its upper case I is also i's, so folding it would join two rows
        assertNotEquals(text.canonical("\u0131"), text.canonical("i"));
    }

    @Test
    void languageCollationsFoldAtMostAsciiAndTurkishNothing() {
        for (String collation :
                new String[] {"utf8mb4_sv_0900_ai_ci", "utf8mb4_uca1400_swedish_ai_ci"}) {
            KeyText swedish = KeyText.of(collation);
            assertEquals(swedish.canonical("abc"), swedish.canonical("ABC"), collation);
            assertNotEquals(swedish.canonical("å"), swedish.canonical("a"), collation);
        }
        for (String collation :
                new String[] {"utf8mb4_turkish_ci", "utf8mb4_tr_0900_ai_ci", "latin5_turkish_ci"}) {
            assertNotEquals(
                    KeyText.of(collation).canonical("i"), KeyText.of(collation).canonical("I"));
        }
    }

    @Test
    void otherCaseInsensitiveCollationsFoldAsciiCaseOnly() {
        KeyText swedish = KeyText.of("latin1_swedish_ci");
        assertEquals(swedish.canonical("abc "), swedish.canonical("ABC"));
        assertNotEquals(swedish.canonical("å"), swedish.canonical("a"));
    }

    @Test
    void binaryCaseSensitiveAndNoPadCollations() {
        assertEquals("a", KeyText.of("utf8mb4_bin").canonical("a  "));
        assertEquals("a\t", KeyText.of("utf8mb4_bin").canonical("a\t "));
        assertEquals("A", KeyText.of("utf8mb4_bin").canonical("A"));
        assertEquals("a  ", KeyText.of("utf8mb4_nopad_bin").canonical("a  "));
        assertEquals("K1 ", KeyText.of("utf8mb4_0900_ai_ci").canonical("k1 "));
        assertEquals("K1", KeyText.of("utf8mb4_0900_as_ci").canonical("k1"));
        assertNotEquals(
                KeyText.of("utf8mb4_0900_as_ci").canonical("é"),
                KeyText.of("utf8mb4_0900_as_ci").canonical("e"));
        assertEquals("x ", KeyText.of(null).canonical("x "));
        assertNull(KeyText.of("utf8mb4_unicode_ci").canonical(null));
    }
}
