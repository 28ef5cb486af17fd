package io.shardsync.scan;

import io.shardsync.model.SyncTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** How many rows tables hold, as the server estimates it (for ETAs; never for correctness). */
public final class RowEstimates {
    private RowEstimates() {}

    public static long of(Connection c, List<SyncTable> tables) throws SQLException {
        long rows = 0;
        try (PreparedStatement statement =
                c.prepareStatement(
                        "SELECT TABLE_ROWS FROM information_schema.TABLES"
                                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            for (SyncTable table : tables) {
                statement.setString(1, table.database());
                statement.setString(2, table.table());
                try (ResultSet rs = statement.executeQuery()) {
                    rows += rs.next() ? rs.getLong(1) : 0;
                }
            }
        }
        return rows;
    }
}
