package io.shardsync.sink.records;

import io.shardsync.config.ControlDatabaseConfig;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * The flat shape of a side-output record: named, typed fields, written as a table row on the
 * control database and as a JSON object to Kafka, so both destinations carry the same fields.
 * Values are String, Long, Boolean or String[] (a row image, JSON in the table).
 */
public interface RecordFormat<T> extends Serializable {
    /** One field: its name and its column type on the control database. */
    record Field(String name, String sqlType) implements Serializable {}

    String table();

    /** The field that says when a record happened (epoch milliseconds): retention purges by it. */
    String timeField();

    /** How long the control database keeps these records. */
    Duration retention(ControlDatabaseConfig control);

    List<Field> fields();

    Object[] values(T record);

    /** The Kafka message key: records with the same key stay in order in one partition. */
    String key(T record);
}
