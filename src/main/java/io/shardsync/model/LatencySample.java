package io.shardsync.model;

/**
 * End-to-end latency of one change (README "Side outputs"): source commit to shard commit, split at
 * the time the job read it. Source commit time is the table's fractional-second version column when
 * it has one, else the binlog event time (1 s resolution).
 */
public class LatencySample {
    public String table;
    public String shard;
    public String[] key;
    public Op op;
    public String version;
    public long sourceTimeMs;
    public long readTimeMs;
    public long committedAtMs;

    public LatencySample() {}

    public LatencySample(ChangeEvent change, String shard, long sourceTimeMs, long committedAtMs) {
        this.table = change.qualifiedTable();
        this.shard = shard;
        this.key = change.key;
        this.op = change.op;
        this.version = change.version.toString();
        this.sourceTimeMs = sourceTimeMs;
        this.readTimeMs = change.readTimeMs;
        this.committedAtMs = committedAtMs;
    }

    public long latencyMs() {
        return committedAtMs - sourceTimeMs;
    }
}
