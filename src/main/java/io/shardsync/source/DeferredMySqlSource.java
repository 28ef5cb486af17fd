package io.shardsync.source;

import io.shardsync.config.SourceConfig;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.ChangeEventTypeInfo;
import io.shardsync.model.SyncTable;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.mysql.source.assigners.state.PendingSplitsState;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The Flink CDC source of one MySQL server, built where it runs (the enumerator on the JobManager,
 * the readers on the TaskManagers) instead of on the client. Flink CDC's config factory holds the
 * password as a string (there is no hook to hand it a reference), and the client's copy would be
 * serialized into the job graph and so into the HA blob store. What travels here is the source's
 * config, whose password is a {@link io.shardsync.config.Secret} reference; the built source is
 * transient, so the password never leaves the process that reads it.
 */
final class DeferredMySqlSource
        implements Source<ChangeEvent, MySqlSplit, PendingSplitsState>,
                ResultTypeQueryable<ChangeEvent> {
    private final SourceConfig source;
    private final List<SyncTable> tables;
    private final int mergeKeyGroups;
    private final BeforeImages beforeImages;
    private transient MySqlSource<ChangeEvent> mysql;

    DeferredMySqlSource(
            SourceConfig source,
            List<SyncTable> tables,
            int mergeKeyGroups,
            BeforeImages beforeImages) {
        this.source = source;
        this.tables = List.copyOf(tables);
        this.mergeKeyGroups = mergeKeyGroups;
        this.beforeImages = beforeImages;
    }

    /**
     * Answered without building the source, so the client never reads the password: every startup
     * the job uses (a snapshot then the binlog, or the binlog from {@code startAt}) reads the
     * binlog without end.
     */
    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<ChangeEvent, MySqlSplit> createReader(SourceReaderContext context)
            throws Exception {
        return new SchemaMismatchStop(
                SnapshotStallGuard.around(
                        context,
                        source.snapshotStallTimeout(),
                        System::currentTimeMillis,
                        mysql()::createReader));
    }

    @Override
    public SplitEnumerator<MySqlSplit, PendingSplitsState> createEnumerator(
            SplitEnumeratorContext<MySqlSplit> context) {
        return mysql().createEnumerator(context);
    }

    @Override
    public SplitEnumerator<MySqlSplit, PendingSplitsState> restoreEnumerator(
            SplitEnumeratorContext<MySqlSplit> context, PendingSplitsState checkpoint) {
        return mysql().restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<MySqlSplit> getSplitSerializer() {
        return mysql().getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<PendingSplitsState> getEnumeratorCheckpointSerializer() {
        return mysql().getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<ChangeEvent> getProducedType() {
        return ChangeEventTypeInfo.INSTANCE;
    }

    private synchronized MySqlSource<ChangeEvent> mysql() {
        if (mysql == null) {
            mysql = ChangeSources.build(source, tables, mergeKeyGroups, beforeImages);
        }
        return mysql;
    }
}
