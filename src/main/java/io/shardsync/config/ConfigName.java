package io.shardsync.config;

/** An enum constant as it is spelled in the YAML. */
public interface ConfigName {
    String configName();
}
