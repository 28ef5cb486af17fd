package io.shardsync.scan;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A set of rows of one table named by key: a chunk {@code lower < key <= upper} (either bound may
 * be open) or a list of keys. Renders as a WHERE condition with its parameters.
 */
public record KeyScope(
        String condition, List<String> params, List<String> lower, List<String> upper) {

    public static KeyScope range(TableSql sql, List<String> lower, List<String> upper) {
        List<String> conditions = new ArrayList<>();
        List<String> params = new ArrayList<>();
        String keys = "(" + sql.keyList() + ")";
        String marks = sql.keyMarks();
        if (lower != null) {
            conditions.add(keys + " > " + marks);
            params.addAll(lower);
        }
        if (upper != null) {
            conditions.add(keys + " <= " + marks);
            params.addAll(upper);
        }
        String condition = conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
        return new KeyScope(condition, params, lower, upper);
    }

    public static KeyScope keys(TableSql sql, List<List<String>> keys) {
        String marks = sql.keyMarks();
        List<String> params = new ArrayList<>();
        keys.forEach(params::addAll);
        String condition =
                "("
                        + sql.keyList()
                        + ") IN ("
                        + String.join(", ", Collections.nCopies(keys.size(), marks))
                        + ")";
        return new KeyScope(condition, params, null, null);
    }

    /** The rows of this scope that also meet a condition without parameters. */
    public KeyScope and(String condition) {
        return new KeyScope(this.condition + " AND " + condition, params, lower, upper);
    }

    public void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            statement.setString(i + 1, params.get(i));
        }
    }
}
