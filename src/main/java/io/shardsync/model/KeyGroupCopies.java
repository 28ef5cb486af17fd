package io.shardsync.model;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * A schema change reaches every merge subtask in its place in the stream: the source emits one copy
 * per key group of the merge, each keyed to land in its group, so each subtask receives a copy
 * behind every change of that source before the statement and ahead of every change after it. Each
 * subtask acts on one copy, the one of the first key group it owns, whatever the parallelism.
 */
public final class KeyGroupCopies {
    private KeyGroupCopies() {}

    /**
     * Copies of the event, one keyed (by {@code keys}) to each of the merge's {@code keyGroups} key
     * groups.
     */
    public static List<ChangeEvent> of(ChangeEvent event, int keyGroups, RowKeys keys) {
        ChangeEvent[] copies = new ChangeEvent[keyGroups];
        int found = 0;
        for (int n = 0; found < keyGroups; n++) {
            ChangeEvent copy = event.withOp(event.op, new String[] {"#" + n}, event.after);
            int group = KeyGroupRangeAssignment.assignToKeyGroup(keys.getKey(copy), keyGroups);
            if (copies[group] == null) {
                copies[group] = copy;
                found++;
            }
        }
        return new ArrayList<>(List.of(copies));
    }

    /** Whether this subtask acts on the copy keyed by {@code rowKey}. */
    public static boolean isThisSubtasks(String rowKey, TaskInfo task) {
        int keyGroups = task.getMaxNumberOfParallelSubtasks();
        return KeyGroupRangeAssignment.assignToKeyGroup(rowKey, keyGroups)
                == KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                                keyGroups,
                                task.getNumberOfParallelSubtasks(),
                                task.getIndexOfThisSubtask())
                        .getStartKeyGroup();
    }

    /** Whether the copy keyed by {@code rowKey} is the one copy of the whole job (key group 0). */
    public static boolean isTheJobs(String rowKey, TaskInfo task) {
        return KeyGroupRangeAssignment.assignToKeyGroup(
                        rowKey, task.getMaxNumberOfParallelSubtasks())
                == 0;
    }
}
