package io.shardsync.model;

import io.shardsync.config.ShardRule;
import java.io.Serializable;
import java.util.List;

/**
 * A synced table with its columns resolved: which columns form the primary key, which picks the
 * shard (-1: every shard) and which orders versions (-1: binlog position).
 */
public record SyncTable(
        String database,
        String table,
        List<Column> columns,
        int[] keyIndexes,
        int shardKeyIndex,
        ShardRule shardRule,
        int versionIndex,
        String createStatement)
        implements Serializable {

    public String qualifiedName() {
        return database + "." + table;
    }

    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    public String[] keyOf(String[] image) {
        String[] key = new String[keyIndexes.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = image[keyIndexes[i]];
        }
        return key;
    }
}
