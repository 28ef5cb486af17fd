package io.shardsync.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Job configs as YAML text for the config tests, and how they load. */
final class ConfigYaml {
    private ConfigYaml() {}

    /** A valid job with one sharded table over two shards. */
    static final String VALID =
            """
            sources:
              - host: 127.0.0.1
                port: 3307
                user: cdc
                password: {env: CDC_PASSWORD}
                serverIdRange: 5400-5401
            shards:
              - url: jdbc:mariadb://127.0.0.1:3308/
                user: writer
                password: {file: /run/secrets/writer}
              - name: east
                url: jdbc:mariadb://127.0.0.1:3309/
                user: writer
                password: {file: /run/secrets/writer}
            tables:
              - database: app
                table: orders
                shardKey: user_id
                versionColumn: version
            parallelism: 2
            checkpointInterval: 3s
            """;

    static JobConfig load(String yaml) throws IOException {
        return ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The message of the ConfigException the yaml is refused with. */
    static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    /** VALID (two shards) with these keys added to its table. */
    static String rule(String... keys) {
        return VALID.replace(
                "shardKey: user_id", "shardKey: user_id\n    " + String.join("\n    ", keys));
    }
}
