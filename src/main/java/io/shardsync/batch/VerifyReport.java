package io.shardsync.batch;

import java.util.List;

/** The outcome of a verify run; written as JSON and read back by repair. */
public record VerifyReport(
        List<TableResult> tables, long rows, long chunks, long durationMs, boolean clean) {

    /**
     * One table's outcome. {@code unsettled} are the keys of rows that differed but changed at the
     * source during every recheck, so they could not be judged (a hot row the job keeps current).
     */
    public record TableResult(
            String table,
            long rows,
            long chunks,
            List<Difference> differences,
            List<List<String>> unsettled) {}

    public List<Difference> differences() {
        return tables.stream().flatMap(t -> t.differences().stream()).toList();
    }
}
