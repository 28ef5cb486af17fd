package io.shardsync.batch;

import java.util.List;

/** The outcome of a verify run; written as JSON and read back by repair. */
public record VerifyReport(
        List<TableResult> tables, long rows, long chunks, long durationMs, boolean clean) {

    /** One table's outcome. */
    public record TableResult(String table, long rows, long chunks, List<Difference> differences) {}

    public List<Difference> differences() {
        return tables.stream().flatMap(t -> t.differences().stream()).toList();
    }
}
