package io.shardsync.config;

/** A job configuration error; the message starts with the key path of the bad value. */
public class ConfigException extends RuntimeException {
    public ConfigException(String path, String problem) {
        super(path + ": " + problem);
    }
}
