package io.shardsync.verify;

import io.shardsync.CommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs verify or repair in the test's JVM on a config file and a report in a test directory. */
final class BatchRun {
    private BatchRun() {}

    /**
     * Repair with {@code --dry-run} or {@code --execute} in {@code args}, else verify; returns the
     * exit code, a newline and what the run printed.
     */
    static String run(Path dir, String yaml, String... args) throws Exception {
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, yaml);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String[] all = new String[args.length + 4];
        all[0] = "--config";
        all[1] = config.toString();
        all[2] = "--report";
        all[3] = dir.resolve("report.json").toString();
        System.arraycopy(args, 0, all, 4, args.length);
        CommandLine commandLine = new CommandLine(all);
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exitCode =
                commandLine.flag("dry-run") || commandLine.flag("execute")
                        ? new RepairAction(commandLine, out).run()
                        : new VerifyAction(commandLine, out).run();
        return exitCode + "\n" + bytes.toString(StandardCharsets.UTF_8);
    }

    /** The difference lines of a verify's output, sorted. */
    static List<String> differenceLines(String output) {
        return output.lines().filter(l -> l.startsWith("  ")).map(String::strip).sorted().toList();
    }
}
