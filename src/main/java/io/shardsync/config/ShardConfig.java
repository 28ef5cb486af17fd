package io.shardsync.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One target shard: a MySQL/MariaDB server reached by JDBC. */
public record ShardConfig(String name, String url, String user, Secret password)
        implements Serializable {

    /** The same shard on the same server (where its password comes from does not matter). */
    public boolean sameServer(ShardConfig other) {
        return name.equals(other.name) && url.equals(other.url) && user.equals(other.user);
    }

    /** The shards of both lists, each once (by name), in order. */
    public static List<ShardConfig> union(List<ShardConfig> first, List<ShardConfig> second) {
        Map<String, ShardConfig> union = new LinkedHashMap<>();
        first.forEach(s -> union.put(s.name(), s));
        second.forEach(s -> union.putIfAbsent(s.name(), s));
        return List.copyOf(union.values());
    }

    /** The shards' names, in placement order. */
    public static List<String> names(List<ShardConfig> shards) {
        return shards.stream().map(ShardConfig::name).toList();
    }

    /** Whether two placements are the same shards on the same servers, in the same order. */
    public static boolean samePlacement(List<ShardConfig> a, List<ShardConfig> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).sameServer(b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
