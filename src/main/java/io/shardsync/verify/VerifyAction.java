package io.shardsync.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shardsync.Action;
import io.shardsync.CommandLine;
import io.shardsync.config.ConfigLoader;
import io.shardsync.config.JobConfig;
import io.shardsync.placement.Placement;
import io.shardsync.placement.Placements;
import io.shardsync.source.SchemaLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --mode verify --config FILE [--report FILE] [--threads N] [--chunk-time-ms MS]
 * [--max-rows-per-second N] [--rechecks N] [--recheck-delay-ms MS]}: a parallel JDBC client, not a
 * Flink job: the work is range scans on the databases, which Flink would only wrap. Exit code 0
 * when the shards hold exactly the source's rows, 1 when rows differ, 2 when none differs for sure
 * but some kept changing through every recheck (unsettled: not proven clean).
 */
public class VerifyAction implements Action {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final CommandLine commandLine;
    private final PrintStream out;

    public VerifyAction(CommandLine commandLine) {
        this(commandLine, System.out);
    }

    VerifyAction(CommandLine commandLine, PrintStream out) {
        this.commandLine = commandLine;
        this.out = out;
    }

    @Override
    public int run() throws Exception {
        JobConfig config = ConfigLoader.load(commandLine.required("config"));
        return verify(config, Placements.effective(config), VerifyOptions.from(commandLine), out)
                .outcome()
                .exitCode();
    }

    /**
     * Verifies the serving shards of a placement of a config's tables; writes the report and prints
     * its summary.
     */
    public static VerifyReport verify(
            JobConfig config, Placement placement, VerifyOptions options, PrintStream out)
            throws Exception {
        VerifyReport report =
                new Verifier(config, placement, SchemaLoader.load(config), options, out).run();
        JSON.writeValue(options.report().toFile(), report);
        printSummary(out, report, options.report());
        return report;
    }

    private static void printSummary(PrintStream out, VerifyReport report, Path file) {
        long rate = report.rows() * 1000 / Math.max(1, report.durationMs());
        for (VerifyReport.TableResult table : report.tables()) {
            out.printf(
                    "%-30s %10d rows %6d chunks %6d differences%s%n",
                    table.table(),
                    table.rows(),
                    table.chunks(),
                    table.differences().size(),
                    table.unsettled().isEmpty()
                            ? ""
                            : " (" + table.unsettled().size() + " rows kept changing: unsettled)");
            List<Difference> shown = table.differences().stream().limit(20).toList();
            for (Difference d : shown) {
                out.printf(
                        "  %-11s key %s on %s%s%n",
                        d.kind(),
                        d.key(),
                        d.shards(),
                        d.columns().isEmpty() ? "" : " columns " + d.columns());
            }
            if (table.differences().size() > shown.size()) {
                out.printf(
                        "  ... %d more in %s%n", table.differences().size() - shown.size(), file);
            }
        }
        out.printf(
                "%s: %d rows in %d chunks in %.1f s (%d rows/s); report %s%n",
                report.outcome(),
                report.rows(),
                report.chunks(),
                report.durationMs() / 1000.0,
                rate,
                file);
        if (report.outcome() == VerifyReport.Outcome.UNSETTLED) {
            out.println(
                    "unsettled rows changed at the source through every recheck, so a wrong copy"
                            + " of them would go unseen: verify again at a quieter time, or with"
                            + " more --rechecks or a longer --recheck-delay-ms");
        }
    }
}
