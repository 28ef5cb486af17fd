package io.shardsync.source;

import io.shardsync.config.SchemaChangeKind;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.drop.Drop;

/**
 * What an {@code ALTER TABLE}, {@code CREATE INDEX} or {@code DROP INDEX} does, clause by clause,
 * as JSqlParser reads it: the kinds of change, and the columns it renames (old name to new, lower
 * case). A statement it cannot read has no known kinds.
 */
record DdlStatement(Set<SchemaChangeKind> kinds, Map<String, String> renamed) {

    static DdlStatement parse(String ddl) {
        Statement statement;
        try {
            statement = CCJSqlParserUtil.parse(ddl);
        } catch (JSQLParserException e) {
            return new DdlStatement(Set.of(), Map.of());
        }
        if (statement instanceof CreateIndex
                || statement instanceof Drop drop && "INDEX".equalsIgnoreCase(drop.getType())) {
            return new DdlStatement(EnumSet.of(SchemaChangeKind.INDEX), Map.of());
        }
        if (!(statement instanceof Alter alter) || alter.getAlterExpressions() == null) {
            return new DdlStatement(Set.of(), Map.of());
        }
        Set<SchemaChangeKind> kinds = EnumSet.noneOf(SchemaChangeKind.class);
        Map<String, String> renamed = new LinkedHashMap<>();
        for (AlterExpression clause : alter.getAlterExpressions()) {
            switch (clause.getOperation()) {
                case ADD ->
                        kinds.add(
                                clause.getColDataTypeList() != null
                                        ? SchemaChangeKind.ADD_COLUMN
                                        : SchemaChangeKind.INDEX);
                case DROP ->
                        kinds.add(
                                clause.getColumnName() != null
                                        ? SchemaChangeKind.DROP_COLUMN
                                        : SchemaChangeKind.INDEX);
                case DROP_PRIMARY_KEY,
                                DROP_UNIQUE,
                                DROP_FOREIGN_KEY,
                                RENAME_INDEX,
                                RENAME_KEY,
                                RENAME_CONSTRAINT ->
                        kinds.add(SchemaChangeKind.INDEX);
                case MODIFY, ALTER -> kinds.add(SchemaChangeKind.MODIFY_COLUMN);
                case CHANGE -> {
                    kinds.add(SchemaChangeKind.MODIFY_COLUMN);
                    rename(
                            clause.getColumnOldName(),
                            clause.getColDataTypeList().get(0).getColumnName(),
                            kinds,
                            renamed);
                }
                case RENAME ->
                        rename(clause.getColumnOldName(), clause.getColumnName(), kinds, renamed);
                default -> kinds.add(SchemaChangeKind.TABLE_OPTIONS);
            }
        }
        return new DdlStatement(kinds, renamed);
    }

    private static void rename(
            String from, String to, Set<SchemaChangeKind> kinds, Map<String, String> renamed) {
        String old = unquoted(from);
        String now = unquoted(to);
        if (!old.equals(now)) {
            kinds.add(SchemaChangeKind.RENAME_COLUMN);
            renamed.put(old, now);
        }
    }

    private static String unquoted(String identifier) {
        return identifier.replace("`", "").toLowerCase(Locale.ROOT);
    }
}
