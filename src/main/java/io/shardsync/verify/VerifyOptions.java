package io.shardsync.verify;

import io.shardsync.CommandLine;
import java.nio.file.Path;
import java.time.Duration;

/** Options of {@code --mode verify}. */
public record VerifyOptions(
        int threads,
        Duration chunkTime,
        long maxRowsPerSecond,
        int rechecks,
        long rowCompareLimit,
        Duration recheckDelay,
        Path report) {

    public static VerifyOptions from(CommandLine commandLine) {
        return new VerifyOptions(
                Integer.parseInt(commandLine.get("threads").orElse("2")),
                Duration.ofMillis(Long.parseLong(commandLine.get("chunk-time-ms").orElse("20"))),
                Long.parseLong(commandLine.get("max-rows-per-second").orElse("0")),
                Integer.parseInt(commandLine.get("rechecks").orElse("3")),
                Long.parseLong(commandLine.get("row-compare-limit").orElse("2000")),
                Duration.ofMillis(
                        Long.parseLong(commandLine.get("recheck-delay-ms").orElse("5000"))),
                Path.of(commandLine.get("report").orElse("verify-report.json")));
    }
}
