package io.shardsync.placement;

import io.shardsync.model.SyncTable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * Decides whether state may be restored into this job: only when it was built with the job's {@link
 * StateFingerprint}, or, while a reshard workflow of the job exists, with any placement of that
 * workflow (its savepoint restarts move between them). Anything else is refused for good
 * (restarting cannot make it right; only the user can), naming what changed and what to do.
 */
public final class RestoreGuard implements Serializable {
    private final StateFingerprint current;
    private final List<StateFingerprint> accepted;

    public RestoreGuard(StateFingerprint current, List<StateFingerprint> alsoAccepted) {
        this.current = current;
        this.accepted = new ArrayList<>(List.of(current));
        this.accepted.addAll(alsoAccepted);
    }

    /**
     * The guard of a job with this placement and, when it has one, its reshard workflow; {@code
     * tables} are the config's, as its rules route them.
     */
    public static RestoreGuard of(
            Placement placement, List<SyncTable> tables, Optional<ReshardWorkflow> reshard) {
        StateFingerprint current = fingerprint(placement, tables);
        List<StateFingerprint> workflow = new ArrayList<>();
        reshard.ifPresent(
                w -> {
                    for (ReshardPhase phase : ReshardPhase.values()) {
                        workflow.add(fingerprint(w.placement(phase), tables));
                    }
                });
        return new RestoreGuard(current, workflow);
    }

    private static StateFingerprint fingerprint(Placement placement, List<SyncTable> tables) {
        return StateFingerprint.of(
                placement.servingNames(), placement.shadowNames(), placement.servingTables(tables));
    }

    /**
     * The entries to keep in state, given the restored ones (empty: a fresh start, or a savepoint
     * from before fingerprints were stored, which is trusted as it always was).
     *
     * @throws SuppressRestartsException when the restored state was built with another placement
     */
    public SortedMap<String, String> restore(Map<String, String> restored) {
        if (accepted.stream().anyMatch(f -> f.changesFrom(restored).isEmpty())) {
            return current.keptWith(restored);
        }
        throw new SuppressRestartsException(
                new IllegalStateException(
                        "Refusing to restore: the state was built with another placement, and"
                                + " rows would be routed to other shards than the ones they are"
                                + " on. Changed: "
                                + String.join("; ", current.changesFrom(restored))
                                + ". To change shards, restore with the shards the state was"
                                + " built with and use --mode reshard (README: Scaling out). A"
                                + " table's primary key, shard key, rule or version column cannot"
                                + " change under restored state: restore with the old"
                                + " definition, or sync the table from scratch (empty its shard"
                                + " tables, start without this savepoint or checkpoint)."));
    }
}
