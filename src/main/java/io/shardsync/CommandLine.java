package io.shardsync;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@code --key value} and {@code --flag} arguments. */
public final class CommandLine {
    private final Map<String, String> options = new HashMap<>();

    public CommandLine(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
            String key = args[i].substring(2);
            boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
            options.put(key, hasValue ? args[++i] : "true");
        }
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(options.get(key));
    }

    public String required(String key) {
        return get(key).orElseThrow(
                        () -> new IllegalArgumentException("missing --" + key + " <value>"));
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(options.getOrDefault(key, "false"));
    }
}
