package io.shardsync.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * One MySQL source server read through its binlog. {@code startAt} is null for the usual start (a
 * snapshot, then the binlog); else a source without restored state reads the binlog from there,
 * without a snapshot — a replica taking over from the server the job read until then. {@code
 * snapshotStallTimeout} is how long a reader holding an unfinished snapshot chunk may give nothing
 * before it is restarted.
 */
public record SourceConfig(
        String id,
        String host,
        int port,
        String user,
        Secret password,
        int serverIdStart,
        int serverIdEnd,
        String serverTimeZone,
        int splitSize,
        Duration snapshotStallTimeout,
        BinlogPosition startAt)
        implements Serializable {

    public String serverIdRange() {
        return serverIdStart + "-" + serverIdEnd;
    }

    public String jdbcUrl() {
        return "jdbc:mysql://" + host + ":" + port + "/";
    }

    /** A position in a server's binlog. */
    public record BinlogPosition(String file, long position) implements Serializable {}
}
