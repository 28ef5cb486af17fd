package io.shardsync.placement;

import java.util.List;

/**
 * How far the copy of one table got: every row with a key up to {@code resumeKey} (null: none yet)
 * has been copied; {@code done} when the whole table has.
 */
public record CopyProgress(List<String> resumeKey, long rowsCopied, boolean done) {
    public static final CopyProgress NONE = new CopyProgress(null, 0, false);
}
