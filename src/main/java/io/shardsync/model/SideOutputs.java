package io.shardsync.model;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Every side output of the job, with explicit types. */
public final class SideOutputs {
    public static final OutputTag<Conflict> CONFLICTS =
            new OutputTag<>("conflicts", TypeInformation.of(Conflict.class));

    public static final OutputTag<LatencySample> LATENCY =
            new OutputTag<>("latency", TypeInformation.of(LatencySample.class));

    private SideOutputs() {}

    /** Changes for one shard, split off by the router. */
    public static OutputTag<ChangeEvent> shard(String shardName) {
        return new OutputTag<>("shard-" + shardName, TypeInformation.of(ChangeEvent.class));
    }
}
