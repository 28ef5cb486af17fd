package io.shardsync.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a Prometheus reporter, read as samples. Flink's reporter bundles simpleclient 0.8,
 * which has no parser, so this reads the text exposition format itself: {@code #} lines are
 * comments, every other line is {@code name{label="value",...} value} (Flink writes no timestamps).
 */
public record PrometheusScrape(List<Sample> samples) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern LINE = Pattern.compile("(\\w+)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** One series' value: its metric name and labels. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    /** The exposition text of the reporter on {@code port} of this host. */
    public static String text(int port) throws IOException, InterruptedException {
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        return HTTP.send(
                        HttpRequest.newBuilder(metrics).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Scrapes the reporter on {@code port} of this host. */
    public static PrometheusScrape of(int port) throws IOException, InterruptedException {
        return parse(text(port));
    }

    static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = LINE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                labels.put(label.group(1), unescape(label.group(2)));
            }
            samples.add(new Sample(sample.group(1), labels, value(sample.group(3))));
        }
        return new PrometheusScrape(List.copyOf(samples));
    }

    /** The samples of one metric. */
    public List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The sum of a metric's samples; 0 if it has none. */
    public double sum(String name) {
        return named(name).stream().mapToDouble(Sample::value).sum();
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text); // also reads NaN
        };
    }

    private static String unescape(String value) {
        return value.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
