package io.shardsync.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardsync.config.SchemaChangeKind;
import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.model.Column;
import io.shardsync.model.Ddl;
import io.shardsync.model.SyncTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;

/**
 * A DDL statement of the source's binlog (Flink CDC's schema change record), and what it does to a
 * synced table: nothing to its rows (an index, a comment), a change of its rows' columns (a column
 * added, dropped, renamed or retyped; TRUNCATE, RENAME or DROP of the table), or a change the job
 * cannot follow (the primary key, shard key or version column dropped, renamed or retyped).
 * Debezium gives the table's definition after the statement; a statement without one (TRUNCATE,
 * RENAME) is matched to the tables it names.
 */
final class SchemaChange {
    private static final String KEY_SCHEMA = "io.debezium.connector.mysql.SchemaChangeKey";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DROP_TABLE =
            Pattern.compile("^DROP\\s+(TEMPORARY\\s+)?TABLES?\\s");
    private static final Pattern TRIGGER =
            Pattern.compile("^(CREATE|DROP)\\s+([^\\s(]+\\s+)*TRIGGER\\s");
    private static final Pattern FOREIGN_KEY =
            Pattern.compile("\\bFOREIGN\\s+KEY\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern RENAME_TO =
            Pattern.compile("^ALTER\\s+TABLE\\s+.*\\sRENAME\\s+(TO|AS)\\s");

    /** What a statement does to one synced table. */
    enum Effect {
        /** The rows keep their columns. */
        NONE,
        /** The rows' columns change, or the table goes away or is emptied. */
        COLUMNS,
        /** A column that names, places or orders rows changes. */
        UNFOLLOWABLE
    }

    /**
     * An effect with what the statement does to the table, in words; what the shards do to follow
     * it (null: they cannot, the table is renamed away); the table's columns after it (null: as
     * they were), the columns it renames, and the kinds of change it makes (empty: not known).
     */
    record Outcome(
            Effect effect,
            String what,
            Ddl.Action action,
            String[] columns,
            Map<String, String> renamed,
            Set<SchemaChangeKind> kinds) {
        Outcome(Effect effect, String what, Ddl.Action action, SchemaChangeKind kind) {
            this(effect, what, action, null, Map.of(), kind == null ? Set.of() : Set.of(kind));
        }
    }

    /** A table's definition after the statement, as Debezium has it. */
    record Definition(
            String database,
            String table,
            String type,
            List<String> columns,
            List<String> types,
            List<Boolean> optional,
            List<String> primaryKey) {}

    final String ddl;
    final String database;
    final String binlogFile;
    final long position;
    final long timeMs;
    private final List<Definition> definitions;

    private SchemaChange(
            String ddl,
            String database,
            String binlogFile,
            long position,
            long timeMs,
            List<Definition> definitions) {
        this.ddl = ddl;
        this.database = database;
        this.binlogFile = binlogFile;
        this.position = position;
        this.timeMs = timeMs;
        this.definitions = definitions;
    }

    static boolean isSchemaChange(SourceRecord record) {
        return record.keySchema() != null && KEY_SCHEMA.equalsIgnoreCase(record.keySchema().name());
    }

    static SchemaChange of(SourceRecord record) {
        Struct value = (Struct) record.value();
        Struct source = value.getStruct("source");
        JsonNode history;
        try {
            history = JSON.readTree(value.getString("historyRecord"));
        } catch (IOException e) {
            throw new IllegalStateException("unreadable schema change record " + record, e);
        }
        List<Definition> definitions = new ArrayList<>();
        for (JsonNode change : history.path("tableChanges")) {
            String[] id = change.path("id").asText().replace("\"", "").split("\\.", 2);
            List<String> columns = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<Boolean> optional = new ArrayList<>();
            for (JsonNode column : change.path("table").path("columns")) {
                columns.add(column.path("name").asText());
                types.add(baseType(column.path("typeName").asText()));
                optional.add(column.path("optional").asBoolean());
            }
            List<String> primaryKey = new ArrayList<>();
            change.path("table")
                    .path("primaryKeyColumnNames")
                    .forEach(c -> primaryKey.add(c.asText()));
            definitions.add(
                    new Definition(
                            id[0],
                            id.length > 1 ? id[1] : "",
                            change.path("type").asText(),
                            columns,
                            types,
                            optional,
                            primaryKey));
        }
        return new SchemaChange(
                history.path("ddl").asText(),
                history.path("databaseName").asText(),
                source.getString("file"),
                source.getInt64("pos"),
                source.getInt64("ts_ms"),
                definitions);
    }

    /**
     * What the statement does to the table; null when it does not touch it. The shards cannot
     * replay a statement on a table whose entry transforms its columns (they have other columns):
     * under {@code evolve}, one that changes its columns stops the job, one that does not is
     * reported.
     */
    Outcome on(SyncTable table) {
        Outcome outcome = onColumns(table);
        if (table.layout().columns() == null
                || table.schemaChanges().policy() != SchemaChangePolicy.EVOLVE
                || outcome == null
                || outcome.action() == null
                || outcome.action() == Ddl.Action.REPORT
                || outcome.action().empties()) {
            return outcome;
        }
        if (outcome.effect() == Effect.NONE) {
            return new Outcome(
                    Effect.NONE,
                    outcome.what()
                            + "; the shards keep their table of transformed columns as it is",
                    Ddl.Action.REPORT,
                    outcome.kinds().stream().findFirst().orElse(null));
        }
        return new Outcome(
                Effect.UNFOLLOWABLE,
                outcome.what()
                        + ", and the shards hold the table with transformed columns (its entry's"
                        + " columns): change the shards' tables as the statement changes the"
                        + " source's, and the entry's columns with them, then restart",
                null,
                null);
    }

    private Outcome onColumns(SyncTable table) {
        String statement = ddl.stripLeading().toUpperCase(Locale.ROOT);
        // an online schema change's statement on the shadow table comes as one on the table (the
        // source's parseOnLineSchemaChanges), with the shadow table's definition
        Pattern shadow =
                Pattern.compile(
                        "_" + Pattern.quote(table.table()) + "_(new|gho)",
                        Pattern.CASE_INSENSITIVE);
        boolean alters = statement.startsWith("ALTER");
        Definition definition =
                definitions.stream()
                        .filter(
                                d ->
                                        d.database().equalsIgnoreCase(table.database())
                                                && (d.table().equalsIgnoreCase(table.table())
                                                        || alters
                                                                && shadow.matcher(d.table())
                                                                        .matches()))
                        .findFirst()
                        .orElse(null);
        // Debezium gives the definition of every table a statement changes; a statement with
        // definitions of other tables only does not touch this one, whatever it mentions
        if (definition == null && (!definitions.isEmpty() || !names(table))
                || TRIGGER.matcher(statement).find()) {
            return null;
        }
        if (statement.startsWith("TRUNCATE")) {
            return new Outcome(
                    Effect.COLUMNS,
                    "empties the table",
                    Ddl.Action.TRUNCATE,
                    SchemaChangeKind.TRUNCATE);
        }
        boolean renames = statement.startsWith("RENAME") || RENAME_TO.matcher(statement).find();
        if (renames && definition != null && !definition.type().equals("DROP")) {
            return new Outcome(
                    Effect.COLUMNS,
                    "gives the table the definition of another (an online schema change's"
                            + " cut-over)",
                    Ddl.Action.CHECK,
                    definition.columns().toArray(String[]::new),
                    Map.of(),
                    Set.of(SchemaChangeKind.CUT_OVER));
        }
        if (renames) {
            return new Outcome(Effect.COLUMNS, "renames the table away", null, null);
        }
        if (DROP_TABLE.matcher(statement).find()
                || definition != null && definition.type().equals("DROP")) {
            return new Outcome(
                    Effect.COLUMNS,
                    "drops the table",
                    Ddl.Action.DROP,
                    SchemaChangeKind.DROP_TABLE);
        }
        if (definition == null) {
            return new Outcome(
                    Effect.NONE,
                    "names the table in a statement the job does not follow",
                    Ddl.Action.REPORT,
                    null);
        }
        String[] columns = definition.columns().toArray(String[]::new);
        if (definition.type().equals("CREATE")) {
            return new Outcome(
                    Effect.COLUMNS,
                    "creates the table",
                    Ddl.Action.CREATE,
                    columns,
                    Map.of(),
                    Set.of(SchemaChangeKind.CREATE_TABLE));
        }
        String unfollowable = UnfollowableChange.of(ddl, table, definition);
        if (unfollowable != null) {
            return new Outcome(Effect.UNFOLLOWABLE, unfollowable, null, null);
        }
        if (FOREIGN_KEY.matcher(ddl).find()) {
            return new Outcome(
                    Effect.NONE,
                    "adds or drops a foreign key, which the shards do not have",
                    Ddl.Action.REPORT,
                    null);
        }
        DdlStatement parsed = DdlStatement.parse(ddl);
        List<String> before =
                table.columns().stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
        List<String> after =
                definition.columns().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        if (!before.equals(after)) {
            return new Outcome(
                    Effect.COLUMNS,
                    "changes its columns from " + before + " to " + after,
                    Ddl.Action.REPLAY,
                    columns,
                    parsed.renamed(),
                    parsed.kinds());
        }
        for (int c = 0; c < before.size(); c++) {
            Column column = table.columns().get(c);
            if (!column.dataType().equals(definition.types().get(c))
                    || column.nullable() != definition.optional().get(c)) {
                return new Outcome(
                        Effect.COLUMNS,
                        "changes the type of column '" + column.name() + "'",
                        Ddl.Action.REPLAY,
                        columns,
                        parsed.renamed(),
                        parsed.kinds());
            }
        }
        return new Outcome(
                Effect.NONE,
                "leaves its columns as they are",
                Ddl.Action.REPLAY,
                columns,
                parsed.renamed(),
                parsed.kinds());
    }

    /**
     * Whether the statement names the table: qualified, or by its name alone in its database (for
     * statements Debezium gives no definition for).
     */
    private boolean names(SyncTable table) {
        String name = "`?" + Pattern.quote(table.table()) + "`?(?![\\w$])";
        String qualified =
                "(?<![\\w$])`?" + Pattern.quote(table.database()) + "`?\\s*\\.\\s*" + name;
        String alone = "(?<![\\w$.`])" + name;
        boolean inItsDatabase = database.isEmpty() || database.equalsIgnoreCase(table.database());
        return Pattern.compile(
                        inItsDatabase ? qualified + "|" + alone : qualified,
                        Pattern.CASE_INSENSITIVE)
                .matcher(ddl)
                .find();
    }

    /** Debezium's type name as information_schema's DATA_TYPE (no UNSIGNED, lower case). */
    private static String baseType(String typeName) {
        return typeName.toLowerCase(Locale.ROOT).replace(" unsigned", "").replace(" zerofill", "");
    }
}
