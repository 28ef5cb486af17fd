package io.shardsync;

/** One mode of the ShardSync jar ({@code --mode NAME}). */
public interface Action {
    /** Runs the mode; returns the process exit code (0: success). */
    int run() throws Exception;
}
