package io.shardsync.model;

import static io.shardsync.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

class KeyGroupCopiesTest {
    private static final int KEY_GROUPS = 128;

    @Test
    void everySubtaskOfAnyParallelismActsOnExactlyOneCopyItReceives() {
        ChangeEvent ddl = event(Op.DDL, "", "ALTER TABLE t ADD COLUMN c INT", 0, 120);
        List<ChangeEvent> copies = KeyGroupCopies.of(ddl, KEY_GROUPS, RowKeys.of(List.of()));
        assertEquals(KEY_GROUPS, copies.size());
        for (int parallelism : new int[] {1, 2, 3, 7, 64, 128}) {
            int[] acting = new int[parallelism];
            int theJobs = 0;
            for (ChangeEvent copy : copies) {
                int subtask =
                        KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                copy.rowKey(), KEY_GROUPS, parallelism);
                TaskInfoImpl task = new TaskInfoImpl("merge", KEY_GROUPS, subtask, parallelism, 0);
                if (KeyGroupCopies.isThisSubtasks(copy.rowKey(), task)) {
                    acting[subtask]++;
                }
                if (KeyGroupCopies.isTheJobs(copy.rowKey(), task)) {
                    theJobs++;
                }
                assertEquals(ddl.after, copy.after);
            }
            for (int subtask = 0; subtask < parallelism; subtask++) {
                assertEquals(1, acting[subtask], "subtask " + subtask + " of " + parallelism);
            }
            assertEquals(1, theJobs);
        }
    }
}
