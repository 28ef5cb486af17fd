package io.shardsync.verify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The outcome of a verify run; written as JSON and read back by repair (which also reads reports of
 * earlier versions: fields it does not know, such as their {@code clean}, are skipped).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VerifyReport(List<TableResult> tables, long rows, long chunks, long durationMs) {

    /**
     * One table's outcome. {@code unsettled} are the keys of rows that differed but changed at the
     * source during every recheck, so they could not be judged (a hot row the job keeps current, or
     * a wrong copy of a hot row: which one, no recheck could tell).
     */
    public record TableResult(
            String table,
            long rows,
            long chunks,
            List<Difference> differences,
            List<List<String>> unsettled) {}

    /** What a verify run proved; the exit code of {@code --mode verify}. */
    public enum Outcome {
        /** The shards hold exactly the source's rows. */
        CLEAN(0),
        /** Rows differ (the report lists them; repair fixes them). */
        DIFFERENCES(1),
        /** No row differs for sure, but some kept changing through every recheck: not proven. */
        UNSETTLED(2);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    public Outcome outcome() {
        if (!differences().isEmpty()) {
            return Outcome.DIFFERENCES;
        }
        boolean unsettled = tables.stream().anyMatch(t -> !t.unsettled().isEmpty());
        return unsettled ? Outcome.UNSETTLED : Outcome.CLEAN;
    }

    /** Whether the shards are proven to hold exactly the source's rows. */
    public boolean clean() {
        return outcome() == Outcome.CLEAN;
    }

    public List<Difference> differences() {
        return tables.stream().flatMap(t -> t.differences().stream()).toList();
    }
}
