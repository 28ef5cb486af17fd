package io.shardsync.batch;

import io.shardsync.CommandLine;
import java.nio.file.Path;
import java.time.Duration;

/** Options of {@code --mode verify}. */
record VerifyOptions(
        int threads,
        Duration chunkTime,
        long maxRowsPerSecond,
        int rechecks,
        Duration recheckDelay,
        Path report) {

    static VerifyOptions from(CommandLine commandLine) {
        return new VerifyOptions(
                Integer.parseInt(commandLine.get("threads").orElse("2")),
                Duration.ofMillis(Long.parseLong(commandLine.get("chunk-time-ms").orElse("200"))),
                Long.parseLong(commandLine.get("max-rows-per-second").orElse("0")),
                Integer.parseInt(commandLine.get("rechecks").orElse("3")),
                Duration.ofMillis(
                        Long.parseLong(commandLine.get("recheck-delay-ms").orElse("5000"))),
                Path.of(commandLine.get("report").orElse("verify-report.json")));
    }
}
