package io.shardsync.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.model.RowVersion;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TombstonesTest {
    @Test
    void versionBytesSortAsTheVersionsDoAndReadBack() {
        List<RowVersion> ascending =
                List.of(
                        new RowVersion(Long.MIN_VALUE, 0, 0, 0),
                        new RowVersion(-5, 9, 9, 9),
                        new RowVersion(0, 0, 0, 0),
                        new RowVersion(7, 1, 500, 0),
                        new RowVersion(7, 1, 500, 1),
                        new RowVersion(7, 2, 4, 0),
                        new RowVersion(Long.MAX_VALUE, 0, 0, 0));
        for (int i = 0; i < ascending.size(); i++) {
            byte[] order = Tombstones.order(ascending.get(i));
            assertEquals(ascending.get(i), Tombstones.version(order));
            if (i > 0) {
                byte[] previous = Tombstones.order(ascending.get(i - 1));
                assertTrue(
                        Arrays.compareUnsigned(previous, order) < 0, ascending.get(i).toString());
            }
        }
    }
}
