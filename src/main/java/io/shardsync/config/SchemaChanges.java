package io.shardsync.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the job does with a synced table's schema changes: the policy, and under {@code evolve} the
 * kinds of statement the shards follow ({@code include} minus {@code exclude}); a statement of
 * another kind, or one whose kind is not known, is reported as under {@code ignore}.
 */
public record SchemaChanges(SchemaChangePolicy policy, Set<SchemaChangeKind> followed)
        implements Serializable {

    /**
     * {@code schemaChanges} of a config object: a policy, or {@code {policy, include, exclude}};
     * absent, the inherited one (the job's, for a table).
     */
    static SchemaChanges parse(ConfigNode parent, SchemaChanges inherited) {
        ConfigNode node = parent.at("schemaChanges");
        if (!node.present()) {
            return inherited;
        }
        if (!node.json().isObject()) {
            return of(node.enumValue(SchemaChangePolicy.values()));
        }
        node.allowOnly("policy", "include", "exclude");
        SchemaChangePolicy policy =
                node.enumValue("policy", SchemaChangePolicy.values(), Defaults.SCHEMA_CHANGES);
        ConfigNode include = node.optional("include");
        ConfigNode exclude = node.optional("exclude");
        if (policy != SchemaChangePolicy.EVOLVE && (include.present() || exclude.present())) {
            throw node.at("policy")
                    .error("include and exclude choose the statements evolve follows");
        }
        Set<SchemaChangeKind> followed =
                include.present()
                        ? EnumSet.noneOf(SchemaChangeKind.class)
                        : EnumSet.allOf(SchemaChangeKind.class);
        for (ConfigNode kind : include.elements()) {
            followed.add(kind.enumValue(SchemaChangeKind.values()));
        }
        for (ConfigNode kind : exclude.elements()) {
            followed.remove(kind.enumValue(SchemaChangeKind.values()));
        }
        return new SchemaChanges(policy, Collections.unmodifiableSet(followed));
    }

    /** The policy for every kind of statement. */
    public static SchemaChanges of(SchemaChangePolicy policy) {
        return new SchemaChanges(policy, EnumSet.allOf(SchemaChangeKind.class));
    }

    /** Whether the shards follow a statement of these kinds (empty: not known). */
    public boolean follows(Set<SchemaChangeKind> kinds) {
        return policy == SchemaChangePolicy.EVOLVE
                && (kinds.isEmpty()
                        ? followed.containsAll(EnumSet.allOf(SchemaChangeKind.class))
                        : followed.containsAll(kinds));
    }
}
