package io.shardsync;

/** One mode of the ShardSync jar ({@code --mode NAME}). */
public interface Action {
    void run() throws Exception;
}
