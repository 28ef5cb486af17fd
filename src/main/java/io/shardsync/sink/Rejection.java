package io.shardsync.sink;

import io.shardsync.model.ChangeEvent;

/** A change a shard refused for its data, with the database error. */
public record Rejection(ChangeEvent change, String error) {}
