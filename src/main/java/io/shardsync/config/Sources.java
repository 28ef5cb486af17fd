package io.shardsync.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code sources} list: each entry a binlog source or, with {@code kind: kafka}, topics.
 */
final class Sources {
    private static final Pattern SERVER_IDS = Pattern.compile("(\\d+)-(\\d+)");

    private Sources() {}

    /** The binlog and the kafka sources of {@code sources}, each in its list. */
    static void parse(
            ConfigNode node,
            int parallelism,
            List<SourceConfig> mysql,
            List<KafkaSourceConfig> kafka) {
        List<ConfigNode> elements = node.elements();
        if (elements.isEmpty()) {
            throw node.error("at least one source is needed");
        }
        List<SourceKind> kinds = new ArrayList<>();
        for (ConfigNode source : elements) {
            kinds.add(source.enumValue("kind", SourceKind.values(), SourceKind.MYSQL));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < elements.size(); i++) {
            ConfigNode source = elements.get(i);
            String id = source.text("id", Defaults.SOURCE_ID_PREFIX + (i + 1));
            if (!ids.add(id)) {
                throw source.at("id").error("duplicate source id");
            }
            if (kinds.get(i) == SourceKind.KAFKA) {
                kafka.add(KafkaSources.parse(source, id, !kinds.contains(SourceKind.MYSQL)));
            } else {
                mysql.add(source(source, parallelism, id));
            }
        }
    }

    private static SourceConfig source(ConfigNode node, int parallelism, String id) {
        node.allowOnly(
                "id",
                "kind",
                "host",
                "port",
                "user",
                "password",
                "serverIdRange",
                "serverTimeZone",
                "splitSize",
                "snapshotStallTimeout",
                "startAt");
        ConfigNode ids = node.required("serverIdRange");
        Matcher range = SERVER_IDS.matcher(ids.json().asText());
        if (!range.matches()) {
            throw ids.error("expected 'start-end', e.g. 5400-5403");
        }
        int start = Integer.parseInt(range.group(1));
        int end = Integer.parseInt(range.group(2));
        if (end - start + 1 < parallelism) {
            throw ids.error(
                    "holds "
                            + Math.max(0, end - start + 1)
                            + " server ids; the source needs one per subtask (parallelism "
                            + parallelism
                            + ")");
        }
        return new SourceConfig(
                id,
                node.requiredText("host"),
                node.intValue("port", 3306, 1, 65535),
                node.requiredText("user"),
                ConfigLoader.secret(node.required("password")),
                start,
                end,
                node.text("serverTimeZone", Defaults.SERVER_TIME_ZONE),
                node.intValue("splitSize", Defaults.SPLIT_SIZE, 1, 10_000_000),
                node.duration("snapshotStallTimeout", Defaults.SNAPSHOT_STALL_TIMEOUT),
                startAt(node.optional("startAt")));
    }

    private static SourceConfig.BinlogPosition startAt(ConfigNode node) {
        if (!node.present()) {
            return null;
        }
        node.allowOnly("binlogFile", "binlogPosition");
        String file = node.requiredText("binlogFile");
        if (!file.matches(".*\\.\\d+")) {
            throw node.at("binlogFile")
                    .error("expected a binlog file name such as mysql-bin.000042");
        }
        return new SourceConfig.BinlogPosition(
                file, node.intValue("binlogPosition", 4, 4, Integer.MAX_VALUE));
    }
}
