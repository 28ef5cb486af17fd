package io.shardsync.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * A schema change of a synced table, as a {@link Op#DDL} change event carries it in its after
 * image: the statement, what it does to the table in words, what the shards do with it, and the
 * columns it renames (old name to new). The event's {@link ChangeEvent#columns} are the table's
 * columns after it.
 */
public record Ddl(String statement, String what, Action action, Map<String, String> renamed) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the shards do with the statement. */
    public enum Action {
        /** Nothing: the statement is reported ({@code schemaChanges: ignore}). */
        REPORT,
        /** Each shard runs the statement as the source did. */
        REPLAY,
        /** Each shard empties the table. */
        TRUNCATE,
        /** Each shard drops the table. */
        DROP,
        /** Each shard creates the table unless it has it (the statement, without foreign keys). */
        CREATE,
        /**
         * The table now has another table's definition (the cut-over of an online schema change,
         * whose statements on the shadow table each shard already ran): each shard checks it has
         * the columns.
         */
        CHECK;

        /** Whether the table's rows before the statement are gone after it. */
        public boolean empties() {
            return this == TRUNCATE || this == DROP;
        }
    }

    /** The statement as the after image of a DDL event. */
    public String[] image() {
        try {
            return new String[] {statement, what, action.name(), JSON.writeValueAsString(renamed)};
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The statement a DDL event carries. */
    public static Ddl of(ChangeEvent event) {
        try {
            return new Ddl(
                    event.after[0],
                    event.after[1],
                    Action.valueOf(event.after[2]),
                    JSON.readValue(event.after[3], new TypeReference<Map<String, String>>() {}));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable DDL event " + event, e);
        }
    }
}
