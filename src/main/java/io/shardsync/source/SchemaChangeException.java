package io.shardsync.source;

import io.shardsync.model.SyncTable;

/** Why the job stopped at a schema change of a synced table, and what the user can do. */
public class SchemaChangeException extends RuntimeException {
    SchemaChangeException(
            SyncTable table,
            SchemaChange change,
            SchemaChange.Outcome outcome,
            boolean unfollowable) {
        super(
                "table "
                        + table.qualifiedName()
                        + ": '"
                        + change.ddl
                        + "' at "
                        + change.binlogFile
                        + ":"
                        + change.position
                        + " "
                        + outcome.what()
                        + (unfollowable
                                ? ". The job cannot follow this change in any schemaChanges"
                                        + " policy: sync the table anew (drop its shard copies and"
                                        + " start the job without a savepoint), or reshard it"
                                : ". schemaChanges: fail stops the job here. To go on, set"
                                        + " schemaChanges: evolve for the table (every shard then"
                                        + " follows the statement) and resume from the last"
                                        + " checkpoint or savepoint (README \"Schema changes\")"));
    }
}
