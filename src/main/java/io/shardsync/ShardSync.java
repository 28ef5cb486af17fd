package io.shardsync;

import io.shardsync.config.ConfigException;
import io.shardsync.pipeline.SyncAction;
import io.shardsync.reshard.ReshardAction;
import io.shardsync.verify.RepairAction;
import io.shardsync.verify.VerifyAction;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Entry point of the job jar: {@code --mode sync|verify|repair|reshard --config
 * jobs-config/demo.yaml}. Each mode is one {@link Action}, chosen by name. A bad command line or
 * config ends with its message and exit code 2, not a stack trace.
 */
public final class ShardSync {
    private static final Map<String, Function<CommandLine, Action>> MODES =
            Map.of(
                    "sync",
                    SyncAction::new,
                    "verify",
                    VerifyAction::new,
                    "repair",
                    RepairAction::new,
                    "reshard",
                    ReshardAction::new);

    private ShardSync() {}

    /** Exit code of a bad command line or config. */
    static final int USAGE_ERROR = 2;

    public static void main(String[] args) throws Exception {
        int exitCode;
        try {
            exitCode = run(args);
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("shardsync: " + e.getMessage());
            exitCode = USAGE_ERROR;
        }
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** The names of the modes, as {@code --mode} takes them. */
    static Set<String> modes() {
        return MODES.keySet();
    }

    static int run(String[] args) throws Exception {
        CommandLine commandLine = new CommandLine(args);
        String mode = commandLine.get("mode").orElse("sync");
        Function<CommandLine, Action> action = MODES.get(mode);
        if (action == null) {
            throw new IllegalArgumentException(
                    "unknown --mode '"
                            + mode
                            + "' (modes: "
                            + String.join(", ", MODES.keySet())
                            + ")");
        }
        return action.apply(commandLine).run();
    }
}
