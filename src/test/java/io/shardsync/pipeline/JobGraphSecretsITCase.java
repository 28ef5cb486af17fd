package io.shardsync.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.shardsync.config.JobConfig;
import io.shardsync.config.Secret;
import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.SyncJobs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job graph goes from the client to the JobManager and into the HA blob store: it must carry
 * where passwords come from, never the passwords, which are read where a connection is opened.
 */
class JobGraphSecretsITCase {
    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @Test
    void theSerializedJobGraphHoldsNoPassword() throws Exception {
        String db = MariaDb.createDatabase("secrets");
        ChangeGenerator.createOrders(db, 1);
        JobConfig config =
                SyncJobs.parse(
                        MariaDb.config("exactly-once", 1, ChangeGenerator.ordersConfig(db))
                                + MariaDb.controlDatabase(db + "_control"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SyncJob.build(env, config);
        JobGraph graph = env.getStreamGraph().getJobGraph();
        byte[] serialized = InstantiationUtil.serializeObject(graph);

        List<Secret> secrets = new ArrayList<>();
        config.sources().forEach(s -> secrets.add(s.password()));
        config.shards().forEach(s -> secrets.add(s.password()));
        secrets.add(config.controlDatabase().password());
        for (String password : secrets.stream().map(Secret::resolve).distinct().toList()) {
            assertFalse(
                    contains(serialized, password.getBytes(StandardCharsets.UTF_8)),
                    "a password is in the serialized job graph");
        }
    }

    private static boolean contains(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
