package io.shardsync.config;

import java.io.Serializable;

/**
 * Where a source table's rows are written on a shard: the templates of the database ({@code
 * {shard}}, {@code {database}}) and of the table ({@code {database}}, {@code {table}}); by default
 * the source's own names.
 */
public record TargetTemplate(NameTemplate database, NameTemplate table) implements Serializable {
    public static final TargetTemplate SOURCE_NAMES =
            new TargetTemplate(NameTemplate.of("database"), NameTemplate.of("table"));
}
