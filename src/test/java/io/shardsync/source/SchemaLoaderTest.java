package io.shardsync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SchemaLoaderTest {
    @Test
    void theShardsCopyOfATableHasNoForeignKey() {
        String create =
                "CREATE TABLE `child` (\n"
                        + "  `id` int(11) NOT NULL,\n"
                        + "  `parent_id` int(11) NOT NULL,\n"
                        + "  PRIMARY KEY (`id`),\n"
                        + "  KEY `parent_id` (`parent_id`),\n"
                        + "  CONSTRAINT `child_ibfk_1` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`)\n"
                        + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
        assertEquals(
                "CREATE TABLE `child` (\n"
                        + "  `id` int(11) NOT NULL,\n"
                        + "  `parent_id` int(11) NOT NULL,\n"
                        + "  PRIMARY KEY (`id`),\n"
                        + "  KEY `parent_id` (`parent_id`)\n"
                        + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                SchemaLoader.withoutForeignKeys(create));
    }
}
