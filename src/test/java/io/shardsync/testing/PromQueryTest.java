package io.shardsync.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.testing.PromQuery.LabelMatcher;
import io.shardsync.testing.PromQuery.Selector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a dashboard query's selectors and grouping, and selecting scraped samples with them. */
class PromQueryTest {
    private static final String SCRAPE =
            """
            # HELP flink_x_lag lag (scope: x)
            # TYPE flink_x_lag summary
            flink_x_lag{job_name="sync",table="a_b",quantile="0.5",} 12.0
            flink_x_lag{job_name="sync",table="a_b",quantile="0.99",} 40.0
            flink_x_lag{job_name="other \\"one\\"",table="a_c",quantile="0.5",} NaN
            flink_x_lag_count{job_name="sync",table="a_b",} 7.0
            flink_y 3.0
            """;

    @Test
    void readsSelectorsAndGroupingWithTheVariableSubstituted() {
        PromQuery query =
                PromQuery.parse(
                        "max by (table, job_name) (rate(flink_x_lag{job_name=~\"$job\","
                                + " quantile=\"0.5\"}[$__rate_interval])) / flink_y",
                        Map.of("job", "sync"));
        assertEquals(
                List.of(
                        new Selector(
                                "flink_x_lag",
                                List.of(
                                        new LabelMatcher("job_name", "=~", "sync"),
                                        new LabelMatcher("quantile", "=", "0.5"))),
                        new Selector("flink_y", List.of())),
                query.selectors());
        assertEquals(List.of("table", "job_name"), query.groupedBy());
        assertEquals(
                List.of("job_name"),
                PromQuery.parse("label_values(flink_y, job_name)", Map.of()).groupedBy());
    }

    @Test
    void selectsTheSamplesItsMatchersAccept() {
        PrometheusScrape scrape = PrometheusScrape.parse(SCRAPE);
        assertEquals(5, scrape.samples().size());
        assertEquals("other \"one\"", scrape.samples().get(2).labels().get("job_name"));
        assertEquals(Double.NaN, scrape.samples().get(2).value());
        Selector p50 =
                PromQuery.parse("flink_x_lag{job_name=~\"s.*\",quantile=\"0.5\"}", Map.of())
                        .selectors()
                        .get(0);
        assertEquals(List.of(scrape.samples().get(0)), p50.in(scrape));
        Selector notSync =
                PromQuery.parse("flink_x_lag{job_name!=\"sync\",table!~\"a_b\"}", Map.of())
                        .selectors()
                        .get(0);
        assertEquals(List.of(scrape.samples().get(2)), notSync.in(scrape));
        // a regex matches the whole value, and an absent label is ""
        assertEquals(List.of(), selector("flink_x_lag{job_name=~\"syn\"}").in(scrape));
        assertEquals(1, selector("flink_y{job_name=\"\"}").in(scrape).size());
    }

    private static Selector selector(String expr) {
        return PromQuery.parse(expr, Map.of()).selectors().get(0);
    }
}
