package com.facecheck.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The queries of deploy/: every alert rule of the Prometheus rules and every target of the Grafana dashboard, with
 * the metric selectors each uses. Read by a unit test (names and runbook links, no tool needed) and by the live
 * check against a real Prometheus.
 */
public final class DeployFiles {

    public static final Path ALERTS = Path.of("deploy/prometheus/alerts.yml");
    public static final Path ALERT_TESTS = Path.of("deploy/prometheus/alerts.test.yml");
    public static final Path PROMETHEUS = Path.of("deploy/prometheus/prometheus.yml");
    public static final Path DASHBOARD = Path.of("deploy/grafana/dashboards/facecheck.json");

    /**
     * What Grafana puts in place of its variables, for a query run outside Grafana: a minute is a few scrapes at
     * any interval up to 15 s; the range is the whole of a short test.
     */
    static final Map<String, String> GRAFANA_VARIABLES = Map.of(
            "$__rate_interval", "1m", "$__interval", "1m", "$__range", "5m");

    /**
     * A metric selector: a name of the worker's or its libraries' families (or {@code up}, Prometheus' own), with its
     * label matchers if any. Label names never start with these prefixes, and function names are not followed by them.
     */
    private static final Pattern SELECTOR = Pattern.compile(
            "\\b((?:facecheck|kafka|jvm|process|system|disk|log4j2)_[A-Za-z0-9_]+|up)\\b\\s*(\\{[^}]*})?");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param source where it comes from (an alert's name, a panel's title), for messages */
    public record Query(String source, String expr) {

        /** Each selector as written, label matchers included, in order and without repeats. */
        public List<String> selectors() {
            Set<String> found = new LinkedHashSet<>();
            Matcher m = SELECTOR.matcher(expr);
            while (m.find()) {
                found.add(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
            }
            return List.copyOf(found);
        }

        /** The metric names alone. */
        public List<String> metricNames() {
            Set<String> found = new LinkedHashSet<>();
            Matcher m = SELECTOR.matcher(expr);
            while (m.find()) {
                found.add(m.group(1));
            }
            return List.copyOf(found);
        }
    }

    /** @param annotations the rule's annotations (summary, description, runbook_url) */
    public record Alert(String name, String expr, Map<String, String> labels, Map<String, String> annotations) {

        public Query query() {
            return new Query("alert " + name, expr);
        }
    }

    private DeployFiles() {
    }

    public static List<Alert> alerts(Path root) {
        List<Alert> alerts = new ArrayList<>();
        for (JsonNode group : read(YAML, root.resolve(ALERTS)).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    alerts.add(new Alert(rule.get("alert").asText(), rule.get("expr").asText(),
                            strings(rule.path("labels")), strings(rule.path("annotations"))));
                }
            }
        }
        return alerts;
    }

    /** Every target of every panel, rows' nested panels included, with Grafana's variables replaced. */
    public static List<Query> dashboardQueries(Path root) {
        List<Query> queries = new ArrayList<>();
        collectTargets(read(JSON, root.resolve(DASHBOARD)).path("panels"), queries);
        return queries;
    }

    public static JsonNode dashboard(Path root) {
        return read(JSON, root.resolve(DASHBOARD));
    }

    public static JsonNode yaml(Path file) {
        return read(YAML, file);
    }

    private static void collectTargets(JsonNode panels, List<Query> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                for (Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet()) {
                    expr = expr.replace(variable.getKey(), variable.getValue());
                }
                into.add(new Query("panel \"" + panel.path("title").asText() + "\" " + target.path("refId").asText(),
                        expr));
            }
            collectTargets(panel.path("panels"), into);
        }
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> map.put(field.getKey(), field.getValue().asText()));
        return map;
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
