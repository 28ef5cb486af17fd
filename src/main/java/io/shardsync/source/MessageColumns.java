package io.shardsync.source;

import io.shardsync.config.KafkaSourceConfig.Format;
import io.shardsync.model.Column;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.DecimalType;

/**
 * A table's columns as a message format encodes them: the Flink row type its JSON format reads them
 * with, and each value back to the job's canonical text ({@link ValueConverter}). Debezium's JSON
 * (schemas off, {@code decimal.handling.mode=string}, the default temporal precision mode, as the
 * change topic writes it): integers as numbers, DATE as epoch days, DATETIME as epoch millis or
 * micros, TIMESTAMP as ISO-8601 UTC, TIME as micros, BIT(1) as a boolean, wider BITs and binary as
 * base64. Canal's JSON: every value MySQL's text of it, binary as ISO-8859-1 characters.
 */
final class MessageColumns {
    /** Flink's DECIMAL holds 38 digits; wider MySQL DECIMALs are read as their text. */
    private static final int MAX_DECIMAL_PRECISION = 38;

    private MessageColumns() {}

    static DataType rowType(Format format, List<Column> columns) {
        return DataTypes.ROW(
                columns.stream()
                        .map(c -> DataTypes.FIELD(c.name(), type(format, c)))
                        .toArray(DataTypes.Field[]::new));
    }

    /** The row's values as canonical text, in the columns' order. */
    static String[] image(Format format, List<Column> columns, RowData row) {
        String[] image = new String[columns.size()];
        for (int i = 0; i < image.length; i++) {
            if (!row.isNullAt(i)) {
                image[i] = text(format, columns.get(i), row, i);
            }
        }
        return image;
    }

    private static DataType type(Format format, Column column) {
        boolean debezium = format == Format.DEBEZIUM_JSON;
        return switch (column.dataType()) {
            case "tinyint", "smallint", "mediumint", "int", "year" -> DataTypes.BIGINT();
            case "bigint" ->
                    column.isUnsignedBigint() ? DataTypes.DECIMAL(20, 0) : DataTypes.BIGINT();
            case "decimal" -> decimal(column);
            case "float", "double" -> DataTypes.DOUBLE();
            case "bit" ->
                    !debezium
                            ? DataTypes.DECIMAL(20, 0)
                            : column.typeLength(1) == 1 ? DataTypes.BOOLEAN() : DataTypes.BYTES();
            case "date" -> debezium ? DataTypes.INT() : DataTypes.STRING();
            case "datetime", "time" -> debezium ? DataTypes.BIGINT() : DataTypes.STRING();
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" ->
                    debezium ? DataTypes.BYTES() : DataTypes.STRING();
                // TIMESTAMP (ISO-8601 or MySQL text), text, ENUM, SET, JSON
            default -> DataTypes.STRING();
        };
    }

    private static DataType decimal(Column column) {
        String[] precisionScale =
                column.columnType().replaceAll(".*\\((\\d+),?(\\d*)\\).*", "$1,$2").split(",", -1);
        int precision = Integer.parseInt(precisionScale[0]);
        int scale = precisionScale[1].isEmpty() ? 0 : Integer.parseInt(precisionScale[1]);
        return precision <= MAX_DECIMAL_PRECISION
                ? DataTypes.DECIMAL(precision, scale)
                : DataTypes.STRING();
    }

    private static String text(Format format, Column column, RowData row, int i) {
        boolean debezium = format == Format.DEBEZIUM_JSON;
        return switch (column.dataType()) {
            case "tinyint", "smallint", "mediumint", "int", "year" -> Long.toString(row.getLong(i));
            case "bigint" ->
                    column.isUnsignedBigint()
                            ? row.getDecimal(i, 20, 0).toBigDecimal().toPlainString()
                            : Long.toString(row.getLong(i));
            case "decimal" -> decimalText(column, row, i);
            case "float", "double" -> Double.toString(row.getDouble(i));
            case "bit" ->
                    !debezium
                            ? row.getDecimal(i, 20, 0).toBigDecimal().toPlainString()
                            : column.typeLength(1) == 1
                                    ? row.getBoolean(i) ? "1" : "0"
                                    : ValueConverter.bits(row.getBinary(i));
            case "date" ->
                    debezium
                            ? LocalDate.ofEpochDay(row.getInt(i)).toString()
                            : LocalDate.parse(row.getString(i).toString()).toString();
            case "datetime" ->
                    ValueConverter.dateTime(
                            !debezium
                                    ? ValueConverter.epochMicros(row.getString(i).toString())
                                    : column.typeLength(0) <= 3
                                            ? Math.multiplyExact(row.getLong(i), 1000L)
                                            : row.getLong(i));
            case "timestamp" ->
                    debezium
                            ? ValueConverter.zonedTimestamp(row.getString(i).toString())
                            : ValueConverter.dateTime(
                                    ValueConverter.epochMicros(row.getString(i).toString()));
            case "time" ->
                    ValueConverter.time(
                            debezium
                                    ? row.getLong(i)
                                    : ValueConverter.timeMicros(row.getString(i).toString()));
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" ->
                    ValueConverter.hex(
                            debezium
                                    ? row.getBinary(i)
                                    : row.getString(i)
                                            .toString()
                                            .getBytes(StandardCharsets.ISO_8859_1));
            default -> row.getString(i).toString();
        };
    }

    private static String decimalText(Column column, RowData row, int i) {
        DataType type = decimal(column);
        if (type.getLogicalType() instanceof DecimalType d) {
            return row.getDecimal(i, d.getPrecision(), d.getScale()).toBigDecimal().toPlainString();
        }
        return row.getString(i).toString();
    }
}
