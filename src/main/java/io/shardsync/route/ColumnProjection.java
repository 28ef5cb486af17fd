package io.shardsync.route;

import io.shardsync.expr.RowExpression;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.ColumnMapping;
import io.shardsync.model.SyncTable;

/**
 * The changes of a table whose entry transforms its columns ({@code tables[i].columns}), as the
 * shards hold them: each image mapped to the written columns, copied under their names there and
 * computed by their expressions (compiled once).
 */
public final class ColumnProjection {
    private final SyncTable table;
    private final int[] from;
    private final RowExpression[] computed;

    public ColumnProjection(SyncTable table) {
        ColumnMapping mapping = table.layout().columns();
        this.table = table;
        this.from = mapping.from();
        this.computed = new RowExpression[from.length];
        for (int i = 0; i < from.length; i++) {
            if (from[i] < 0) {
                computed[i] = RowExpression.compile(mapping.expressions().get(i), table);
            }
        }
    }

    /** The change with its images in the written columns, which it names. */
    public ChangeEvent apply(ChangeEvent change) {
        ChangeEvent mapped =
                change.withOp(change.op, change.key, image(change.after, change.columns));
        mapped.before = image(change.before, change.columns);
        mapped.columns = null;
        return mapped;
    }

    private String[] image(String[] image, String[] layout) {
        if (image == null) {
            return null;
        }
        String[] mapped = new String[from.length];
        for (int i = 0; i < from.length; i++) {
            if (from[i] >= 0) {
                int at = table.indexIn(layout, from[i]);
                mapped[i] = at < 0 ? null : image[at];
            } else {
                mapped[i] = computed[i].valueOf(image, layout);
            }
        }
        return mapped;
    }
}
