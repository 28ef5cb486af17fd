package io.shardsync.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import io.shardsync.testing.Events;
import io.shardsync.testing.MariaDb;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A rejected change's data goes to rejected_changes, never to the job log. */
class RejectedChangesITCase {
    private static final int PORT = MariaDb.SHARD_PORTS.get(0);

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
        MariaDb.execute(PORT, ControlTables.CREATE);
    }

    @Test
    void logsTheTableAndTransactionButNoKeyImageOrMessage() throws Exception {
        String txn = UUID.randomUUID().toString();
        ChangeEvent change = Events.event(Op.INSERT, "alice@example.com", "Alice Secret", 7, 42);
        SQLException error =
                new SQLException(
                        "Duplicate entry 'alice@example.com' for key 'email'", "23000", 1062);
        List<String> logged = new CopyOnWriteArrayList<>();
        AbstractAppender capture =
                new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent event) {
                        logged.add(event.getMessage().getFormattedMessage());
                    }
                };
        capture.start();
        Logger logger =
                ((LoggerContext) LogManager.getContext(false))
                        .getLogger(RejectedChanges.class.getName());
        logger.addAppender(capture);
        try (Connection c = MariaDb.admin(PORT)) {
            RejectedChanges.record(c, txn, change, error);
        } finally {
            logger.removeAppender(capture);
        }

        assertEquals(1, logged.size(), logged.toString());
        String line = logged.get(0);
        assertTrue(line.contains("db.t") && line.contains(txn) && line.contains("1062"), line);
        assertFalse(line.contains("alice") || line.contains("Alice"), line);
        assertEquals(
                List.of("alice@example.com|[\"alice@example.com\",\"Alice Secret\"]"),
                MariaDb.query(
                        PORT,
                        "SELECT row_key, row_image FROM shardsync.rejected_changes WHERE txn_id = '"
                                + txn
                                + "'"));
        MariaDb.execute(
                PORT, "DELETE FROM shardsync.rejected_changes WHERE txn_id = '" + txn + "'");
    }
}
