package io.shardsync.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.testing.MariaDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link KeyText} against MariaDB's own comparison: two texts the job takes for one key are one key
 * to MariaDB (a fold that joined two rows MariaDB keeps apart would merge them), and two texts
 * MariaDB holds equal are one key to the job, but for the expansions README names.
 */
class KeyTextITCase {
    private static final List<String> TEXTS = texts();

    /**
     * Letters whose equality to others the job does not follow (README, known limitations): the
     * expansions, the dotless i, which only some collations take for an I, and the o with a stroke,
     * which only the 5.2 Unicode collation takes for an o.
     */
    private static final Set<String> NOT_FOLLOWED =
            Set.of("ß", "æ", "Æ", "œ", "Œ", "ĳ", "Ĳ", "ŀ", "Ŀ", "ŉ", "ı", "ø", "Ø");

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    private static List<String> texts() {
        List<String> texts = new ArrayList<>();
        String letters =
                "aAbBzZ09-_ àáâãäåÀÁÂÃÄÅæÆçÇèéêëÈÉÊËìíîïÌÍÎÏðÐñÑòóôõöøÒÓÔÕÖØùúûüÙÚÛÜýÿÝþÞß"
                        + "ıİſĳĲœŒŀĿŉαΑάΆβΒёЁеЕжЖ";
        letters.codePoints().forEach(c -> texts.add(Character.toString(c)));
        texts.addAll(
                List.of(
                        "k1", "K1", "k1 ", "K1  ", " k1", "k1\t", "Crème", "CREME", "straße",
                        "STRASSE", "strasse", ""));
        return texts;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "utf8mb4_general_ci",
                "utf8mb4_unicode_ci",
                "utf8mb4_unicode_520_ci",
                "utf8mb4_bin",
                "utf8mb4_nopad_bin",
                "utf8mb4_general_nopad_ci"
            })
    void theJobsKeysAreMariaDbsKeys(String collation) throws Exception {
        Set<String> mariaDb = new TreeSet<>();
        String table = MariaDb.createDatabase("keys") + ".key_texts";
        try (Connection c = MariaDb.admin(MariaDb.SOURCE_PORT);
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE "
                            + table
                            + " (i INT, v VARCHAR(20) CHARACTER SET utf8mb4 COLLATE "
                            + collation
                            + ")");
            try (PreparedStatement insert =
                    c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
                for (int i = 0; i < TEXTS.size(); i++) {
                    insert.setInt(1, i);
                    insert.setString(2, TEXTS.get(i));
                    insert.executeUpdate();
                }
            }
            try (ResultSet rs =
                    s.executeQuery(
                            "SELECT x.i, y.i FROM "
                                    + table
                                    + " x JOIN "
                                    + table
                                    + " y ON x.v = y.v"
                                    + " WHERE x.i < y.i")) {
                while (rs.next()) {
                    mariaDb.add(pair(rs.getInt(1), rs.getInt(2)));
                }
            }
            s.execute("DROP TABLE " + table);
        }
        KeyText keyText = KeyText.of(collation);
        Set<String> joinedByTheJobOnly = new TreeSet<>();
        Set<String> keptApartByTheJobOnly = new TreeSet<>();
        for (int i = 0; i < TEXTS.size(); i++) {
            for (int j = i + 1; j < TEXTS.size(); j++) {
                boolean job =
                        keyText.canonical(TEXTS.get(i)).equals(keyText.canonical(TEXTS.get(j)));
                boolean db = mariaDb.contains(pair(i, j));
                if (job && !db) {
                    joinedByTheJobOnly.add(pair(i, j));
                }
                if (db && !job && !notFollowed(TEXTS.get(i)) && !notFollowed(TEXTS.get(j))) {
                    keptApartByTheJobOnly.add(pair(i, j));
                }
            }
        }
        assertEquals(Set.of(), joinedByTheJobOnly, collation + ": one key to the job only");
        assertEquals(Set.of(), keptApartByTheJobOnly, collation + ": one key to MariaDB only");
    }

    private static boolean notFollowed(String text) {
        return NOT_FOLLOWED.stream().anyMatch(text::contains);
    }

    private static String pair(int i, int j) {
        return "'" + TEXTS.get(i) + "' = '" + TEXTS.get(j) + "'";
    }
}
