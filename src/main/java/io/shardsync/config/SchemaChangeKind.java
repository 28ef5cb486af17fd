package io.shardsync.config;

/** What a schema change does to a table, as {@code schemaChanges.include / exclude} name it. */
public enum SchemaChangeKind implements ConfigName {
    ADD_COLUMN("add-column"),
    DROP_COLUMN("drop-column"),
    /** MODIFY, CHANGE or ALTER of a column: its type, default or nullability. */
    MODIFY_COLUMN("modify-column"),
    /** RENAME COLUMN, or CHANGE to another name. */
    RENAME_COLUMN("rename-column"),
    /** A key or index added or dropped (UNIQUE and PRIMARY too). */
    INDEX("index"),
    /** Anything else that leaves the columns and keys: a comment, the engine, a table option. */
    TABLE_OPTIONS("table-options"),
    TRUNCATE("truncate"),
    DROP_TABLE("drop-table"),
    CREATE_TABLE("create-table"),
    /** The cut-over of an online schema change: another table renamed to the table's name. */
    CUT_OVER("cut-over");

    private final String configName;

    SchemaChangeKind(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
