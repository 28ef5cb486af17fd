package io.shardsync.model;

/** A change that was reported instead of (or as well as) applied, with both versions. */
public class Conflict {
    public ConflictKind kind;
    public ChangeEvent incoming;

    /** The row's last applied version when the change arrived; null if none. */
    public RowVersion current;

    public boolean applied;
    public long detectedAtMs;

    public Conflict() {}

    public Conflict(ConflictKind kind, ChangeEvent incoming, RowVersion current, boolean applied) {
        this.kind = kind;
        this.incoming = incoming;
        this.current = current;
        this.applied = applied;
        this.detectedAtMs = System.currentTimeMillis();
    }

    @Override
    public String toString() {
        return kind + (applied ? " (applied) " : " ") + incoming + " current v" + current;
    }
}
