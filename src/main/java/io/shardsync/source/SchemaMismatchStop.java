package io.shardsync.source;

import io.shardsync.model.ChangeEvent;
import java.util.List;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.ExceptionUtils;

/**
 * Flink CDC's reader of one server, stopped once with what to do when it finds a table's rows no
 * longer match the columns it holds for the table: a DDL during the table's initial snapshot
 * (snapshot chunks keep the columns they were planned with). Every restart would fail the same way,
 * so the job stops instead of looping.
 */
final class SchemaMismatchStop extends ForwardingReader {
    /** What Debezium says when a row and the columns it holds for its table disagree. */
    private static final List<String> MISMATCHES =
            List.of(
                    "not found in result set",
                    "Data row is smaller than a column index",
                    "internal schema representation is probably out of sync");

    SchemaMismatchStop(SourceReader<ChangeEvent, MySqlSplit> reader) {
        super(reader);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<ChangeEvent> output) throws Exception {
        try {
            return super.pollNext(output);
        } catch (Exception e) {
            String trace = ExceptionUtils.stringifyException(e);
            if (MISMATCHES.stream().anyMatch(trace::contains)) {
                throw new SuppressRestartsException(
                        new IllegalStateException(
                                "a synced table's columns changed while the source was still"
                                        + " reading its rows with the columns it had before (a DDL"
                                        + " during the table's initial snapshot, which Flink CDC"
                                        + " cannot follow); every restart would fail the same way."
                                        + " Sync the table anew: empty or drop its shard copies"
                                        + " and start the job without a savepoint, after the"
                                        + " schema change (README \"Schema changes\")",
                                e));
            }
            throw e;
        }
    }
}
