package io.shardsync.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.shardsync.config.JobConfig;
import io.shardsync.config.TableRoutes;
import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.SyncJobs;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reshard workflow's store on a real control database: a step saving the workflow it read
 * before the running job acknowledged its phase keeps the acknowledgement, and a new reshard starts
 * unacknowledged.
 */
class ReshardStoreITCase {
    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @Test
    void aStepSavingAWorkflowReadBeforeTheJobsAcknowledgementKeepsIt() throws Exception {
        String db = MariaDb.createDatabase("store");
        JobConfig config =
                SyncJobs.parse(
                        "name: store-"
                                + db
                                + "\n"
                                + MariaDb.config(
                                        "exactly-once", 1, ChangeGenerator.ordersConfig(db))
                                + MariaDb.shards(MariaDb.NEW_SHARD_PORTS)
                                        .replace("shards:", "newShards:")
                                + MariaDb.controlDatabase(db + "_control"));
        try (ReshardStore store = ReshardStore.open(config.controlDatabase())) {
            store.start(
                    ReshardWorkflow.start(
                            config.name(),
                            config.shards(),
                            config.namedShards(),
                            TableRoutes.NONE));
            ReshardWorkflow readByTheStep = store.load(config).orElseThrow();
            // the restarted job completes its first checkpoint while the step works
            store.acknowledge(config.name(), ReshardPhase.DUAL);
            store.save(readByTheStep.copied(Instant.now()));

            ReshardWorkflow stored = store.load(config).orElseThrow();
            assertEquals(ReshardPhase.DUAL, stored.jobPhase());
            assertEquals(true, stored.jobRestarted());

            // finished, then a new reshard: the job has not run with the new one yet
            store.save(stored.withPhase(ReshardPhase.ROLLED_BACK));
            store.start(
                    ReshardWorkflow.start(
                            config.name(),
                            config.shards(),
                            config.namedShards(),
                            TableRoutes.NONE));
            assertNull(store.load(config).orElseThrow().jobPhase());
        }
    }
}
