package io.shardsync.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table entry's {@code columns}: which source columns are written ({@code include}, null: all but
 * {@code exclude}), under which names ({@code rename}: source name → target name), and the {@code
 * computed} columns added after them (target name → MySQL expression over the source row).
 */
public record ColumnTransforms(
        List<String> include,
        List<String> exclude,
        Map<String, String> rename,
        Map<String, String> computed)
        implements Serializable {
    public static final ColumnTransforms NONE =
            new ColumnTransforms(null, List.of(), Map.of(), Map.of());

    public ColumnTransforms {
        include = include == null ? null : List.copyOf(include);
        exclude = List.copyOf(exclude);
        rename = Collections.unmodifiableMap(new LinkedHashMap<>(rename));
        computed = Collections.unmodifiableMap(new LinkedHashMap<>(computed));
    }

    /** Whether every source column is written under its own name and nothing is added. */
    public boolean none() {
        return include == null && exclude.isEmpty() && rename.isEmpty() && computed.isEmpty();
    }
}
