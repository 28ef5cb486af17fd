package io.shardsync.sink;

import io.shardsync.jdbc.Identifiers;
import io.shardsync.model.SyncTable;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source's schema change statement addressed to a table written under another name on a shard (a
 * target template, 分表): the table that {@code ALTER TABLE}, {@code CREATE TABLE} or {@code
 * CREATE/DROP INDEX ... ON} names is replaced by the table on the shard.
 */
final class DdlTarget {
    private static final String NAME = "(?:`(?:[^`]|``)+`|[A-Za-z0-9_$]+)";
    private static final String QUALIFIED = NAME + "(?:\\s*\\.\\s*" + NAME + ")?";
    private static final Pattern NAMED =
            Pattern.compile(
                    "^(\\s*(?:ALTER\\s+(?:ONLINE\\s+|IGNORE\\s+)*TABLE(?:\\s+IF\\s+EXISTS)?"
                            + "|CREATE\\s+(?:OR\\s+REPLACE\\s+)?TABLE(?:\\s+IF\\s+NOT\\s+EXISTS)?"
                            + "|(?:CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:UNIQUE\\s+|FULLTEXT\\s+"
                            + "|SPATIAL\\s+)?|DROP\\s+)INDEX(?:\\s+IF\\s+(?:NOT\\s+)?EXISTS)?\\s+"
                            + NAME
                            + "\\s+ON)\\s+)"
                            + QUALIFIED,
                    Pattern.CASE_INSENSITIVE);

    private DdlTarget() {}

    /** The statement on {@code target}; empty when it names its table in another form. */
    static Optional<String> on(String statement, SyncTable target) {
        Matcher m = NAMED.matcher(statement);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1) + Identifiers.name(target) + statement.substring(m.end()));
    }
}
