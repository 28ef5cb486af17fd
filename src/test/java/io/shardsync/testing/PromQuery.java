package io.shardsync.testing;

import io.shardsync.testing.PrometheusScrape.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a dashboard query reads, found by regex rather than a PromQL parser: its selectors (a {@link
 * PrometheusNames#NAME metric name} and its {@code {label op "value"}} matchers) and the labels its
 * series are grouped by ({@code by (a, b)}, or the label of a variable's {@code
 * label_values(metric, label)}). Functions and ranges ({@code rate(...[$__rate_interval])}) are not
 * read. This is enough for queries like the dashboard's, one aggregation over one selector; a
 * matcher value holding {@code }} or a nested {@code by} would need more.
 */
public record PromQuery(String expr, List<Selector> selectors, List<String> groupedBy) {
    private static final Pattern SELECTOR =
            Pattern.compile("(" + PrometheusNames.NAME.pattern() + ")(?:\\{([^}]*)})?");
    private static final Pattern MATCHER =
            Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    private static final Pattern LABEL_VALUES =
            Pattern.compile("label_values\\(\\s*\\w+\\s*,\\s*(\\w+)\\s*\\)");

    /** A metric name and the label matchers a sample of it must satisfy. */
    public record Selector(String metric, List<LabelMatcher> matchers) {
        /** The samples of a scrape this selects. */
        public List<Sample> in(PrometheusScrape scrape) {
            return scrape.named(metric).stream().filter(this::selects).toList();
        }

        public boolean selects(Sample sample) {
            return sample.name().equals(metric)
                    && matchers.stream().allMatch(m -> m.test(sample.labels()));
        }

        @Override
        public String toString() {
            return metric
                    + matchers.stream()
                            .map(LabelMatcher::toString)
                            .collect(Collectors.joining(",", "{", "}"));
        }
    }

    /** {@code label op "value"}; an absent label is "", as in Prometheus. */
    public record LabelMatcher(String label, String op, String value) {
        boolean test(Map<String, String> labels) {
            String actual = labels.getOrDefault(label, "");
            return switch (op) {
                case "=" -> actual.equals(value);
                case "!=" -> !actual.equals(value);
                case "=~" -> actual.matches(value); // Prometheus anchors regexes, as matches does
                case "!~" -> !actual.matches(value);
                default -> throw new IllegalArgumentException(op);
            };
        }

        @Override
        public String toString() {
            return label + op + '"' + value + '"';
        }
    }

    /**
     * Reads {@code expr} with each {@code $name} of {@code variables} replaced by its value (as
     * Grafana does for a single selected value); other variables, like {@code $__rate_interval},
     * are left as they are.
     */
    public static PromQuery parse(String expr, Map<String, String> variables) {
        String query = expr;
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            query = query.replace("$" + variable.getKey(), variable.getValue());
        }
        List<Selector> selectors = new ArrayList<>();
        Matcher selector = SELECTOR.matcher(query);
        while (selector.find()) {
            List<LabelMatcher> matchers = new ArrayList<>();
            Matcher m = MATCHER.matcher(selector.group(2) == null ? "" : selector.group(2));
            while (m.find()) {
                matchers.add(new LabelMatcher(m.group(1), m.group(2), m.group(3)));
            }
            selectors.add(new Selector(selector.group(1), List.copyOf(matchers)));
        }
        List<String> groupedBy = new ArrayList<>();
        for (Pattern grouping : List.of(BY, LABEL_VALUES)) {
            Matcher by = grouping.matcher(query);
            while (by.find()) {
                Arrays.stream(by.group(1).split(","))
                        .map(String::trim)
                        .filter(l -> !l.isEmpty())
                        .forEach(groupedBy::add);
            }
        }
        return new PromQuery(expr, List.copyOf(selectors), List.copyOf(groupedBy));
    }
}
