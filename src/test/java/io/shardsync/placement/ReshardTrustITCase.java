package io.shardsync.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardsync.config.ConfigException;
import io.shardsync.config.JobConfig;
import io.shardsync.config.Secret;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.TableRoutes;
import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.SyncJobs;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reshard workflow in the control database names servers, users and password references; the
 * job and the reshard steps connect to a shard only as their own config names it, so a row written
 * by whoever can write the control database cannot send them (or a secret) elsewhere.
 */
class ReshardTrustITCase {
    private static final String NEW_SHARD_URL =
            "jdbc:mariadb://127.0.0.1:" + MariaDb.NEW_SHARD_PORTS.get(0) + "/";

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @Test
    void aWorkflowNamingAShardTheConfigDoesNotIsRefused() throws Exception {
        String db = MariaDb.createDatabase("trust");
        JobConfig config = config(db, "");
        ShardConfig writer = config.shards().get(0);
        ShardConfig elsewhere =
                new ShardConfig("shard-2", NEW_SHARD_URL, writer.user(), writer.password());
        save(config, elsewhere);
        ConfigException refused =
                assertThrows(ConfigException.class, () -> Placements.workflow(config));
        assertEquals(
                "newShards: the reshard workflow of job '"
                        + config.name()
                        + "' in the control database names shard 'shard-2' at "
                        + NEW_SHARD_URL
                        + " as user shardsync_writer, password from "
                        + writer.password()
                        + "; this config does not name it. The job connects only to shards its"
                        + " config names: list it under newShards (README: Scaling out)",
                refused.getMessage());
    }

    @Test
    void aWorkflowNamingAnotherPasswordReferenceIsRefusedAndTheConfigsOwnIsAccepted()
            throws Exception {
        String db = MariaDb.createDatabase("trust");
        JobConfig config = config(db, MariaDb.shards(MariaDb.NEW_SHARD_PORTS.subList(0, 1)));
        ShardConfig named = config.newShards().get(0);
        save(
                config,
                new ShardConfig(named.name(), named.url(), named.user(), new Secret("HOME", null)));
        ConfigException refused =
                assertThrows(ConfigException.class, () -> Placements.workflow(config));
        assertEquals(
                true,
                refused.getMessage()
                        .contains(
                                "password from env:HOME; this config names it at "
                                        + NEW_SHARD_URL
                                        + " as user shardsync_writer, password from "
                                        + named.password()),
                refused.getMessage());

        save(config, named);
        assertEquals(
                ShardConfig.names(List.of(config.shards().get(0), config.shards().get(1), named)),
                ShardConfig.names(Placements.workflow(config).orElseThrow().to()));
    }

    /** The orders job of {@code db}; {@code newShards} a shards: list to name as new shards. */
    private static JobConfig config(String db, String newShards) throws Exception {
        return SyncJobs.parse(
                "name: trust-"
                        + db
                        + "\n"
                        + MariaDb.config("exactly-once", 1, ChangeGenerator.ordersConfig(db))
                        + newShards.replace("shards:", "newShards:")
                        + MariaDb.controlDatabase(db + "_control"));
    }

    /** Stores a reshard of the job from its shards to them and {@code added}. */
    private static void save(JobConfig config, ShardConfig added) throws Exception {
        try (ReshardStore store = ReshardStore.open(config.controlDatabase())) {
            store.start(
                    ReshardWorkflow.start(
                            config.name(),
                            config.shards(),
                            ShardConfig.union(config.shards(), List.of(added)),
                            TableRoutes.NONE));
        }
    }
}
