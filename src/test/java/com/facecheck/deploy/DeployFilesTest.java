package com.facecheck.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of deploy/ without Prometheus or Grafana: the names the rules and the dashboard query are the
 * documented ones, every alert leads to a runbook section that exists, and every alert has unit tests both ways.
 * deploy/check runs the real tools on top.
 */
class DeployFilesTest {

    private static final Path ROOT = Path.of("");
    private static final Path OPERATIONS = Path.of("docs/operations.md");
    private static final String RUNBOOK_PREFIX = "docs/operations.md#";
    /** Suffixes Prometheus adds to a histogram's name, which the docs give once, bare. */
    private static final Pattern HISTOGRAM_SERIES = Pattern.compile("_(bucket|count|sum)$");

    @Test
    void everyMetricQueriedIsDocumented() throws IOException {
        String operations = Files.readString(OPERATIONS);
        List<String> undocumented = new ArrayList<>();
        for (DeployFiles.Query query : allQueries()) {
            for (String name : query.metricNames()) {
                String documented = HISTOGRAM_SERIES.matcher(name).replaceFirst("");
                // up is Prometheus' own: whether the last scrape of a target worked.
                if (!name.equals("up") && !operations.contains("`" + name + "`")
                        && !operations.contains("`" + documented + "`")) {
                    undocumented.add(query.source() + ": " + name);
                }
            }
        }
        assertThat(undocumented).as("metrics queried but not named in docs/operations.md").isEmpty();
    }

    @Test
    void theQueriesUseMetricsAtAll() {
        assertThat(DeployFiles.dashboardQueries(ROOT)).allSatisfy(query ->
                assertThat(query.metricNames()).as(query.source()).isNotEmpty());
        assertThat(DeployFiles.alerts(ROOT)).allSatisfy(alert ->
                assertThat(alert.query().metricNames()).as(alert.name()).isNotEmpty());
    }

    @Test
    void everyAlertHasItsLabelsAndAnnotationsAndARunbookSectionThatExists() throws IOException {
        Set<String> anchors = anchors(Files.readString(OPERATIONS));
        List<DeployFiles.Alert> alerts = DeployFiles.alerts(ROOT);
        assertThat(alerts).extracting(DeployFiles.Alert::name).contains("FacecheckProviderUnavailable",
                "FacecheckBudgetNearlySpent", "FacecheckDeadLettersGrowing", "FacecheckConsumerLagGrowing",
                "FacecheckRecordsFailing", "FacecheckStreamThreadsDying");
        for (DeployFiles.Alert alert : alerts) {
            assertThat(alert.labels().get("severity")).as(alert.name()).isIn("critical", "warning");
            assertThat(alert.annotations().get("summary")).as(alert.name()).isNotBlank();
            assertThat(alert.annotations().get("description")).as(alert.name()).isNotBlank();
            String runbook = alert.annotations().get("runbook_url");
            assertThat(runbook).as(alert.name()).startsWith(RUNBOOK_PREFIX);
            assertThat(anchors).as(alert.name() + " links to a heading of docs/operations.md")
                    .contains(runbook.substring(RUNBOOK_PREFIX.length()));
        }
    }

    @Test
    void everyAlertIsUnitTestedFiringAndQuiet() {
        Set<String> fires = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode test : DeployFiles.yaml(DeployFiles.ALERT_TESTS).path("tests")) {
            for (JsonNode rule : test.path("alert_rule_test")) {
                (rule.path("exp_alerts").isEmpty() ? quiet : fires).add(rule.path("alertname").asText());
            }
        }
        List<String> names = DeployFiles.alerts(ROOT).stream().map(DeployFiles.Alert::name).toList();
        assertThat(fires).as("alerts with a test where they fire").containsAll(names);
        assertThat(quiet).as("alerts with a test where they stay quiet").containsAll(names);
    }

    @Test
    void prometheusLoadsTheRulesAndTheTestsTestThem() {
        assertThat(DeployFiles.yaml(DeployFiles.PROMETHEUS).path("rule_files").toString()).contains("alerts.yml");
        assertThat(DeployFiles.yaml(DeployFiles.ALERT_TESTS).path("rule_files").toString()).contains("alerts.yml");
    }

    @Test
    void theDashboardTakesItsDataSourceFromAVariableAndCountsTheDayInShanghai() {
        JsonNode dashboard = DeployFiles.dashboard(ROOT);
        assertThat(dashboard.path("templating").path("list").findValuesAsText("name")).contains("datasource");
        assertThat(dashboard.path("panels").findValues("datasource")).allSatisfy(ds ->
                assertThat(ds.path("uid").asText()).isEqualTo("${datasource}"));
        // Grafana starts "now/d" at midnight in the dashboard's zone: the budget's and the bill's day.
        assertThat(dashboard.path("timezone").asText()).isEqualTo("Asia/Shanghai");
        JsonNode today = panels(dashboard).filter(p -> p.path("title").asText().startsWith("Spend today"))
                .findFirst().orElseThrow();
        assertThat(today.path("timeFrom").asText()).isEqualTo("now/d");
        assertThat(today.path("targets").findValuesAsText("expr")).allSatisfy(expr ->
                assertThat(expr).contains("[$__range]"));
    }

    @Test
    void anchorsAreGitHubsHeadingIds() {
        assertThat(anchors("## Audit trail: how long to keep it and how to export it\n### Scale out and in\n"))
                .containsExactlyInAnyOrder("audit-trail-how-long-to-keep-it-and-how-to-export-it", "scale-out-and-in");
    }

    private static List<DeployFiles.Query> allQueries() {
        List<DeployFiles.Query> queries = new ArrayList<>(DeployFiles.dashboardQueries(ROOT));
        DeployFiles.alerts(ROOT).forEach(alert -> queries.add(alert.query()));
        return queries;
    }

    private static Stream<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        dashboard.path("panels").forEach(all::add);
        return all.stream();
    }

    /** The ids GitHub gives headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Matcher heading = Pattern.compile("(?m)^#{1,6} +(.+?) *$").matcher(markdown);
        while (heading.find()) {
            anchors.add(heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-'));
        }
        return anchors;
    }
}
