package io.shardsync.reshard;

import io.shardsync.CommandLine;

/** Options of the reshard copy: worker threads, rows per chunk, and a rate limit (0: none). */
record CopyOptions(int threads, int chunkRows, long maxRowsPerSecond) {

    static CopyOptions from(CommandLine commandLine) {
        return new CopyOptions(
                Integer.parseInt(commandLine.get("threads").orElse("2")),
                Integer.parseInt(commandLine.get("chunk-rows").orElse("1000")),
                Long.parseLong(commandLine.get("max-rows-per-second").orElse("0")));
    }
}
