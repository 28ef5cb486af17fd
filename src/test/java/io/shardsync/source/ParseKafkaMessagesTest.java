package io.shardsync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.shardsync.config.KafkaSourceConfig.Format;
import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.SchemaChanges;
import io.shardsync.config.ShardRule;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.Conflict;
import io.shardsync.model.ConflictKind;
import io.shardsync.model.SideOutputs;
import io.shardsync.model.SyncTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The operator behind a kafka source: changes out, a malformed message to the conflicts. */
class ParseKafkaMessagesTest {
    private static final SyncTable TABLE =
            new SyncTable(
                    "app",
                    "t",
                    List.of(
                            new Column("id", "bigint", "bigint(20)", false, null, false),
                            new Column("version", "bigint", "bigint(20)", false, null, false)),
                    new int[] {0},
                    -1,
                    ShardRule.MOD,
                    1,
                    List.of(),
                    null,
                    SchemaChanges.of(SchemaChangePolicy.EVOLVE));

    private static KafkaMessage message(long offset, String json) {
        return new KafkaMessage("app.t", 0, offset, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMalformedMessageIsOneConflictNamingItsPlaceAndTheNextOneIsParsed() throws Exception {
        ParseKafkaMessages parse =
                new ParseKafkaMessages(
                        new KafkaMessageParser("topic-in", Format.CANAL_JSON, List.of(TABLE)));
        try (OneInputStreamOperatorTestHarness<KafkaMessage, ChangeEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(parse)) {
            harness.processElement(message(7, "{\"data\": [oops"), 0);
            harness.processElement(
                    message(
                            8,
                            "{\"data\": [{\"id\": \"1\", \"version\": \"3\"}], \"database\": \"app\","
                                    + " \"table\": \"t\", \"type\": \"INSERT\", \"isDdl\": false,"
                                    + " \"es\": 1000, \"ts\": 1001, \"old\": null}"),
                    0);
            List<String> changes = new ArrayList<>();
            harness.extractOutputValues().forEach(e -> changes.add(e.op + " " + e.key[0]));
            assertEquals(List.of("INSERT 1"), changes);
            List<Conflict> conflicts = new ArrayList<>();
            harness.getSideOutput(SideOutputs.CONFLICTS)
                    .forEach((StreamRecord<Conflict> r) -> conflicts.add(r.getValue()));
            assertEquals(1, conflicts.size());
            Conflict malformed = conflicts.get(0);
            assertEquals(ConflictKind.MALFORMED_MESSAGE, malformed.kind);
            assertNull(malformed.incoming);
            assertEquals(
                    "app.t/0@7: not JSON: Unrecognized token 'oops': was expecting (JSON String,"
                            + " Number, Array, Object or token 'null', 'true' or 'false')",
                    malformed.error);
        }
    }
}
