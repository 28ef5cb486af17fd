package io.shardsync.jdbc;

import io.shardsync.model.SyncTable;

/** Table and column names as SQL identifiers, quoted so any name means itself. */
public final class Identifiers {
    private Identifiers() {}

    /** {@code `database`.`table`} of a synced table. */
    public static String name(SyncTable table) {
        return quote(table.database()) + "." + quote(table.table());
    }

    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
