package io.shardsync.config;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a password comes from: an environment variable or a file. The value itself never sits in
 * the config, in state or in logs; it is read where it is used (on the client or the TaskManager).
 */
public record Secret(String env, String file) implements Serializable {

    public String resolve() {
        if (env != null) {
            String value = System.getenv(env);
            if (value == null) {
                throw new IllegalStateException("environment variable " + env + " is not set");
            }
            return value;
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read password file " + file, e);
        }
    }

    @Override
    public String toString() {
        return env != null ? "env:" + env : "file:" + file;
    }
}
