package io.shardsync.scan;

import io.shardsync.config.ShardRule;
import io.shardsync.jdbc.Identifiers;
import io.shardsync.model.Column;
import io.shardsync.model.ColumnMapping;
import io.shardsync.model.SyncTable;
import io.shardsync.model.TargetLayout;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * SQL expressions over one synced table that are the same on the source and on every shard: the key
 * columns, a row fingerprint that tells NULL from '' and compares every byte, and the shard a row
 * belongs on in a placement of a given number of shards and its table there (the router's rules,
 * written in SQL).
 */
public final class TableSql {
    private static final Pattern NUMBER =
            Pattern.compile("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?");

    private final SyncTable table;
    private final String from;

    public TableSql(SyncTable table) {
        this(table, Identifiers.name(table));
    }

    private TableSql(SyncTable table, String from) {
        this.table = table;
        this.from = from;
    }

    /**
     * The rows of source table {@code source} as the shards hold them, in {@code shape} (its
     * written columns, or some of them): the table itself, or, when its entry transforms its
     * columns, a derived table that selects the written columns under their names there (computed
     * ones by their expressions) from the rows its {@code where} keeps.
     */
    public static TableSql atSource(SyncTable source, SyncTable shape) {
        return atSources(List.of(source), shape);
    }

    /**
     * The rows of the source tables merged into one target as the shards hold them: a derived table
     * of the union of each one's rows in the written columns ({@link #atSource}).
     */
    public static TableSql atSources(List<SyncTable> sources, SyncTable shape) {
        if (sources.size() == 1 && sources.get(0).layout().columns() == null) {
            return new TableSql(shape);
        }
        List<String> selects = new ArrayList<>();
        for (SyncTable source : sources) {
            selects.add(
                    "SELECT "
                            + String.join(", ", writtenColumns(source))
                            + " FROM "
                            + Identifiers.name(source)
                            + (source.where() == null ? "" : " WHERE " + source.where()));
        }
        return new TableSql(
                shape,
                "("
                        + String.join(" UNION ALL ", selects)
                        + ") AS "
                        + Identifiers.quote(shape.table()));
    }

    /** A source table's written columns, as SQL over its rows under their names on the shards. */
    private static List<String> writtenColumns(SyncTable source) {
        ColumnMapping mapping = source.layout().columns();
        if (mapping == null) {
            return source.columns().stream().map(c -> Identifiers.quote(c.name())).toList();
        }
        List<String> select = new ArrayList<>();
        for (int i = 0; i < mapping.from().length; i++) {
            int column = mapping.from()[i];
            select.add(
                    (column >= 0
                                    ? Identifiers.quote(source.columns().get(column).name())
                                    : "(" + mapping.expressions().get(i) + ")")
                            + " AS "
                            + Identifiers.quote(mapping.columns().get(i).name()));
        }
        return select;
    }

    public SyncTable table() {
        return table;
    }

    /** What the table's rows are selected from: its name, or a derived table at the source. */
    public String name() {
        return from;
    }

    public List<String> keyColumns() {
        return keys().stream().map(c -> Identifiers.quote(c.name())).toList();
    }

    public String keyList() {
        return String.join(", ", keyColumns());
    }

    private List<Column> keys() {
        return Arrays.stream(table.keyIndexes()).mapToObj(table.columns()::get).toList();
    }

    /**
     * The key columns as the exact text a report names a row by: binary as hex, FLOAT by its exact
     * double value (its own text, e.g. 1.1, names no stored value), anything else as the server
     * renders it.
     */
    public String keyTexts() {
        return keys().stream().map(TableSql::keyText).collect(Collectors.joining(", "));
    }

    private static String keyText(Column column) {
        String name = Identifiers.quote(column.name());
        return switch (column.binding()) {
            case HEX_BYTES -> "HEX(" + name + ")";
            case BIT -> "CAST(" + name + " AS UNSIGNED)";
            case TEXT -> column.dataType().equals("float") ? "CAST(" + name + " AS DOUBLE)" : name;
        };
    }

    /**
     * A row constructor of parameters that turn key texts back into key values of the columns'
     * types. A text parameter would be compared as a double with a number column, which confuses
     * DECIMAL and BIGINT values beyond 2^53 and matches no FLOAT at all.
     */
    public String keyMarks() {
        return "(" + keys().stream().map(TableSql::keyMark).collect(Collectors.joining(", ")) + ")";
    }

    private static String keyMark(Column column) {
        return switch (column.binding()) {
            case HEX_BYTES -> "UNHEX(?)";
            case BIT -> "CAST(? AS UNSIGNED)";
            case TEXT -> numberType(column).map(type -> "CAST(? AS " + type + ")").orElse("?");
        };
    }

    /** The CAST type of a number column; empty for any other column. */
    private static Optional<String> numberType(Column column) {
        return switch (column.dataType()) {
            case "tinyint", "smallint", "mediumint", "int", "bigint" ->
                    Optional.of(column.columnType().contains("unsigned") ? "UNSIGNED" : "SIGNED");
            case "decimal" -> Optional.of(column.columnType().replaceAll(" .*", ""));
            case "float", "double" -> Optional.of("DOUBLE");
            default -> Optional.empty();
        };
    }

    /**
     * A key text as an SQL literal that means the same in every sql_mode (no quotes, no
     * backslashes): hex for bytes and text, the number itself for numbers. A text that does not fit
     * the column (a report of another table) is refused.
     */
    public String keyLiteral(int keyPosition, String text) {
        Column column = keys().get(keyPosition);
        if (column.binding() == Column.Binding.HEX_BYTES) {
            return "X'" + HexFormat.of().formatHex(HexFormat.of().parseHex(text)) + "'";
        }
        if (column.binding() == Column.Binding.BIT || numberType(column).isPresent()) {
            if (!NUMBER.matcher(text).matches()) {
                throw new IllegalArgumentException(
                        "key value '"
                                + text
                                + "' of number column "
                                + column.name()
                                + " is no number");
            }
            return text;
        }
        return "CONVERT(X'"
                + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8))
                + "' USING utf8mb4)";
    }

    /**
     * A row's 64-bit fingerprint, whose XOR over rows is order-free: the CRC32 of its text ({@link
     * #rowText}) times the CRC32 of its key's text, made odd. CRC32 alone is linear: two rows that
     * exchange a value of one length, or change alike, would leave a XOR of CRCs as it was. A
     * factor that differs from row to row breaks that, and being odd it never hides a change of the
     * row's CRC. One CRC32 of the row's text instead of two costs the servers about a third less
     * per row than the product of the CRC32s of the text in order and reversed that came before it
     * (BENCHMARKS.md "Verify against pt-table-sync").
     */
    public String fingerprint() {
        String keyText = "CONCAT_WS('#', " + String.join(", ", keyColumns()) + ")"; // never NULL
        return "CRC32(" + rowText(table.columns()) + ") * (CRC32(" + keyText + ") | 1)";
    }

    /**
     * Every column's bytes with a NULL bitmap (so NULL and '' differ), separated by '#'; a column
     * whose text may hold a '#' comes after its length, so none can move between columns.
     */
    private static String rowText(List<Column> columns) {
        String values =
                columns.stream()
                        .map(
                                c -> {
                                    String name = Identifiers.quote(c.name());
                                    return c.isNumberOrTime()
                                            ? name
                                            : "LENGTH(" + name + "), " + name;
                                })
                        .collect(Collectors.joining(", "));
        String nulls =
                columns.stream()
                        .map(c -> "ISNULL(" + Identifiers.quote(c.name()) + ")")
                        .collect(Collectors.joining(", "));
        return "CONCAT_WS('#', " + values + ", CONCAT(" + nulls + "))";
    }

    /** Whether rows are spread over the shards by a shard key (else every shard holds them all). */
    public boolean isSharded() {
        return table.shardKeyIndex() >= 0;
    }

    /**
     * The index of a row's shard in a placement of {@code shardCount} shards, as ShardRouter
     * computes it; null for a table on every shard.
     */
    public String shardOf(int shardCount) {
        if (table.shardKeyIndex() < 0) {
            return null;
        }
        return indexOf(table.shardRule(), table.columns().get(table.shardKeyIndex()), shardCount);
    }

    /** Whether the rules give every row a shard and a table there (no map rule without default). */
    public boolean placesEveryRow() {
        TargetLayout layout = table.layout();
        return table.shardRule().placesEveryValue()
                && (layout.tables() == null || layout.tables().rule().placesEveryValue());
    }

    /**
     * The index of a row's table among the tables of it on its shard (分表), as ShardRouter computes
     * it; {@code 0} when each shard holds one.
     */
    public String tableOf() {
        TargetLayout layout = table.layout();
        if (layout.tables() == null) {
            return "0";
        }
        return indexOf(
                layout.tables().rule(),
                table.columns().get(layout.tableKeyIndex()),
                layout.tableCount());
    }

    /** The index of a key column's value among {@code count} by a rule; NULL is at 0. */
    private static String indexOf(ShardRule rule, Column key, int count) {
        String column = Identifiers.quote(key.name());
        String index =
                switch (rule.kind()) {
                    case MOD ->
                            "MOD(MOD("
                                    + column
                                    + ", "
                                    + count
                                    + ") + "
                                    + count
                                    + ", "
                                    + count
                                    + ")";
                    case HASH -> "CRC32(" + key.canonicalSql(column) + ") % " + count;
                    case RANGE -> range(rule, key, column);
                    case MAP -> map(rule, key, column);
                };
        // NULL keys are at index 0 under every rule; a map's unlisted value stays NULL
        return "IF(" + column + " IS NULL, 0, " + index + ")";
    }

    /** {@code CASE WHEN col < b1 THEN 0 ... ELSE n-1 END}: the column compared as its type. */
    private static String range(ShardRule rule, Column key, String column) {
        StringBuilder sql = new StringBuilder("CASE");
        for (int i = 0; i < rule.ranges().size(); i++) {
            sql.append(" WHEN ")
                    .append(column)
                    .append(" < ")
                    .append(ruleLiteral(key, rule.ranges().get(i)))
                    .append(" THEN ")
                    .append(i);
        }
        return sql.append(" ELSE ").append(rule.ranges().size()).append(" END").toString();
    }

    /**
     * {@code CASE col WHEN v THEN i ... [ELSE default] END}: compared as the column's type and
     * collation; NULL for an unlisted value without default.
     */
    private static String map(ShardRule rule, Column key, String column) {
        StringBuilder sql = new StringBuilder("CASE ").append(column);
        rule.values()
                .forEach(
                        (value, shard) ->
                                sql.append(" WHEN ")
                                        .append(ruleLiteral(key, value))
                                        .append(" THEN ")
                                        .append(shard));
        if (rule.defaultShard() != null) {
            sql.append(" ELSE ").append(rule.defaultShard());
        }
        return sql.append(" END").toString();
    }

    /**
     * A range boundary or map value as a literal of the key's type: numbers as themselves, dates
     * (checked to be digits, '-', ':', '.' and ' ' at startup) quoted, text as hex with a coercible
     * character set, so the column's collation compares it.
     */
    private static String ruleLiteral(Column key, String value) {
        if (key.isExactNumber()) {
            return new BigDecimal(value).toPlainString();
        }
        if (key.collation() == null) {
            return "'" + value + "'";
        }
        return "_utf8mb4 X'"
                + HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8))
                + "'";
    }

    /** The rows the table's {@code where} keeps, as a condition ({@code TRUE} without one). */
    public String kept() {
        return table.where() == null ? "TRUE" : "(" + table.where() + ")";
    }

    /**
     * A column as text the job's writers bind (binary as hex, BIT as a number, anything else as the
     * server renders it, e.g. YEAR as 2024, which JDBC would read as a date).
     */
    public String canonical(Column column) {
        String name = Identifiers.quote(column.name());
        return switch (column.binding()) {
            case HEX_BYTES -> "HEX(" + name + ")";
            case BIT -> "CAST(" + name + " AS UNSIGNED)";
            case TEXT -> "CAST(" + name + " AS CHAR)";
        };
    }

    /**
     * A column as an exact SQL literal (repair statements and row comparisons) that means the same
     * in every sql_mode: bytes and text as hex (text converted from its own character set), numbers
     * as themselves (FLOAT by its exact value: its own text has 6 digits). QUOTE() escapes with
     * backslashes, which NO_BACKSLASH_ESCAPES keeps.
     */
    public String literal(Column column) {
        String name = Identifiers.quote(column.name());
        String hex = "HEX(" + name + ")";
        String value =
                switch (column.binding()) {
                    case HEX_BYTES -> "CONCAT('X''', " + hex + ", '''')";
                    case BIT -> "CAST(" + name + " AS UNSIGNED)";
                    case TEXT ->
                            numberType(column).isPresent()
                                    ? keyText(column)
                                    : "CONCAT('CONVERT(X''', "
                                            + hex
                                            + ", ''' USING ', CHARSET("
                                            + name
                                            + "), ')')";
                };
        return "IF(" + name + " IS NULL, 'NULL', " + value + ")";
    }
}
