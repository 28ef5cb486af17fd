package io.shardsync.config;

import java.io.Serializable;

/** One MySQL source server read through its binlog. */
public record SourceConfig(
        String id,
        String host,
        int port,
        String user,
        Secret password,
        int serverIdStart,
        int serverIdEnd,
        String serverTimeZone,
        int splitSize)
        implements Serializable {

    public String serverIdRange() {
        return serverIdStart + "-" + serverIdEnd;
    }

    public String jdbcUrl() {
        return "jdbc:mysql://" + host + ":" + port + "/";
    }
}
