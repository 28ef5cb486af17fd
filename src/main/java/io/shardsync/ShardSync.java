package io.shardsync;

import io.shardsync.batch.RepairAction;
import io.shardsync.batch.VerifyAction;
import io.shardsync.pipeline.SyncAction;
import java.util.Map;
import java.util.function.Function;

/**
 * Entry point of the job jar: {@code --mode sync|verify --config jobs-config/demo.yaml}. Each mode
 * is one {@link Action}, chosen by name.
 */
public final class ShardSync {
    private static final Map<String, Function<CommandLine, Action>> MODES =
            Map.of(
                    "sync",
                    SyncAction::new,
                    "verify",
                    VerifyAction::new,
                    "repair",
                    RepairAction::new);

    private ShardSync() {}

    public static void main(String[] args) throws Exception {
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
        int exitCode = action.apply(commandLine).run();
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }
}
