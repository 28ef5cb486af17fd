package io.shardsync.sink;

import io.shardsync.model.ChangeEvent;
import java.util.List;

/**
 * The changes one writer subtask collected for one shard between two checkpoints, compacted to one
 * change per row. Its random id is recorded on the shard in the same transaction that applies it,
 * so committing it again after a restore is a no-op.
 */
public record ShardTransaction(String id, List<ChangeEvent> changes) {}
