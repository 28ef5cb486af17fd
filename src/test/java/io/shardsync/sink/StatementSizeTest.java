package io.shardsync.sink;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.jdbc.SqlErrors;
import io.shardsync.model.Column;
import java.sql.SQLDataException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementSizeTest {
    private static final List<Column> TEXT =
            List.of(new Column("t", "longtext", "longtext", true, "utf8mb4_general_ci", false));

    @Test
    void batchesAreBoundedByRowsAndBytes() {
        List<String[]> small = Collections.nCopies(1_200, new String[] {"x"});
        assertEquals(
                List.of(500, 500, 200),
                StatementSize.batches(small, 500, 16L << 20, v -> v).stream()
                        .map(List::size)
                        .toList());
        String[] big = {"y".repeat(40_000)};
        List<List<String[]>> batches =
                StatementSize.batches(Collections.nCopies(500, big), 500, 16L << 20, v -> v);
        assertTrue(batches.size() > 1, batches.size() + " batches");
        for (List<String[]> batch : batches) {
            assertTrue(batch.size() * 40_000L * 6 <= 8L << 20, batch.size() + " rows");
        }
        assertEquals(500, batches.stream().mapToInt(List::size).sum());
    }

    @Test
    void aRowLargerThanTheShardTakesIsRefusedAndOneThatFitsIsNot() {
        SQLDataException tooBig =
                assertThrows(
                        SQLDataException.class,
                        () ->
                                StatementSize.requireFits(
                                        new String[] {"z".repeat(1 << 20)}, TEXT, 1 << 20));
        assertTrue(tooBig.getSQLState().startsWith("22"), tooBig.getSQLState());
        assertTrue(SqlErrors.isRejection(tooBig));
        // over the cheap bound (6 bytes a character) but within the packet as sent
        assertDoesNotThrow(
                () -> StatementSize.requireFits(new String[] {"z".repeat(500_000)}, TEXT, 1 << 20));
    }
}
