package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.crypto.Keyset;
import com.facecheck.provider.Credentials;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the Dockerfile, docker-compose.yml and k8s/ true to what the application reads: the variables they set, the
 * configuration files they mount, the health and metrics paths, the port and the drain timeout all come from the
 * code, and each deployment's configuration loads with the worker's own loader. Rendering them (kustomize,
 * docker-compose) is deploy/render-check's job, which needs those tools; this test needs only Java.
 */
class DeploymentManifestsTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path K8S = Path.of("k8s");
    private static final Path BASE = K8S.resolve("base");
    private static final Path PRODUCTION = K8S.resolve("overlays/production");
    /** Services of docker-compose.yml that run one of the Dockerfile's images: the production one, or the full jar's. */
    private static final Set<String> IMAGES = Set.of("facecheck-streams:local", "facecheck-streams-simulator:local");
    /** Stand-ins for the values Kubernetes gives a pod through the downward API. */
    private static final Map<String, String> FIELD_VALUES = Map.of("metadata.name", "facecheck-0",
            "metadata.namespace", "facecheck");

    @TempDir
    Path dir;

    @Test
    void everyFacecheckVariableSetAnywhereIsOneTheApplicationReads() throws IOException {
        List<String> set = new ArrayList<>();
        composeServices().forEach((name, service) -> set.addAll(composeEnvironment(service).keySet()));
        for (Path manifest : manifests()) {
            containers(read(manifest)).forEach(container -> set.addAll(kubernetesEnvironment(container).keySet()));
        }
        Matcher env = Pattern.compile("(?m)^ENV (\\w+)=").matcher(Files.readString(DOCKERFILE));
        while (env.find()) {
            set.add(env.group(1));
        }
        assertThat(set).filteredOn(v -> v.startsWith(ConfigKeys.ENVIRONMENT_PREFIX)).isNotEmpty()
                .allSatisfy(v -> assertThat(ConfigLoader.environmentVariables()).as(v).contains(v));
    }

    @Test
    void composeAndThePrometheusOperatorGetTheSameRulesAndScrapeTheWorkerWhereItListens() throws IOException {
        JsonNode alerts = read(Path.of("deploy/prometheus/alerts.yml")).path("groups");
        assertThat(read(Path.of("k8s/base/prometheusrule.yaml")).path("spec").path("groups"))
                .as("the PrometheusRule carries deploy/prometheus/alerts.yml's groups").isEqualTo(alerts).isNotEmpty();

        JsonNode worker = composeServices().get("worker");
        WorkerConfig config = load(null, composeEnvironment(worker), composeMounts(worker));
        List<String> names = new ArrayList<>(List.of("worker"));
        worker.path("networks").path("default").path("aliases").forEach(alias -> names.add(alias.asText()));
        JsonNode targets = read(Path.of("deploy/prometheus/prometheus.yml")).path("scrape_configs").get(0)
                .path("static_configs").get(0).path("targets");
        assertThat(targets).isNotEmpty().allSatisfy(target -> {
            String[] hostAndPort = target.asText().split(":");
            assertThat(names).as("a name the compose worker answers to").contains(hostAndPort[0]);
            assertThat(hostAndPort[1]).isEqualTo(Integer.toString(config.http().port()));
        });
    }

    @Test
    void noSecretValueIsCommitted() throws IOException {
        for (Path manifest : manifests()) {
            JsonNode node = read(manifest);
            assertThat(node.path("kind").asText()).as(manifest.toString()).isNotEqualTo("Secret");
            assertThat(node.has("secretGenerator")).as(manifest.toString()).isFalse();
            containers(node).forEach(c -> assertThat(kubernetesEnvironment(c).keySet()).as(manifest.toString())
                    .doesNotContainAnyElementsOf(Secrets.VARIABLES));
        }
        composeServices().forEach((name, service) -> assertThat(composeEnvironment(service).keySet()).as(name)
                .doesNotContainAnyElementsOf(Secrets.VARIABLES));
    }

    @Test
    void theComposeWorkerLoadsItsConfigurationAndListensWhereItIsProbedAndScraped() throws IOException {
        JsonNode worker = composeServices().get("worker");
        WorkerConfig config = load(null, composeEnvironment(worker), composeMounts(worker));
        assertThat(worker.path("ports").get(0).asText()).endsWith(":" + config.http().port());
        assertThat(Duration.parse("PT" + worker.path("stop_grace_period").asText().toUpperCase()))
                .isGreaterThan(config.shutdown().drainTimeout());
        assertThat(config.kafka().properties()).containsKey("group.instance.id");
        assertThat(composeMounts(worker)).containsKey(config.streams().stateDir().toString());
        assertThat(worker.path("read_only").asBoolean()).isTrue();
        String simulator = composeServices().get("simulator").path("command").toString();
        assertThat(config.provider().url().toString()).contains(":" + portAfter("--port", simulator));
    }

    @Test
    void theDockerfileProbesTheLivenessEndpointOnTheDefaultPort() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(dockerfile).contains("EXPOSE " + WorkerConfig.DEFAULTS.http().port())
                .contains("${" + ConfigKeys.environmentVariable("http.port") + ":-" + WorkerConfig.DEFAULTS.http().port()
                        + "}").contains("GET " + HttpSurface.LIVE + " ").contains("USER 10001");
    }

    /** The production image is the Dockerfile's default, last stage; only compose's simulator needs the full jar. */
    @Test
    void onlyTheSimulatorRunsTheFullJarsImage() throws IOException {
        List<String> stages = Files.readString(DOCKERFILE).lines().filter(line -> line.startsWith("FROM ")).toList();
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(stages.get(stages.size() - 1)).endsWith(" AS worker");
        assertThat(dockerfile.substring(dockerfile.lastIndexOf("\nFROM ")))
                .contains("COPY --from=build /src/target/facecheck-streams-worker.jar ");
        Map<String, JsonNode> services = composeServices();
        assertThat(services).allSatisfy((name, service) -> assertThat(service.path("build").path("target").asText())
                .as(name).isEqualTo(name.equals("simulator") ? "simulator" : ""));
        String simulatorStage = dockerfile.substring(dockerfile.indexOf(" AS simulator\n"));
        assertThat(simulatorStage.substring(0, simulatorStage.indexOf("\nFROM ")))
                .contains("COPY --from=build /src/target/facecheck-streams.jar ");
    }

    @Test
    void eachKubernetesConfigurationLoadsAndMatchesTheStatefulSet() throws IOException {
        JsonNode statefulSet = read(BASE.resolve("statefulset.yaml"));
        JsonNode pod = statefulSet.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        Map<String, String> mounts = kubernetesMounts(pod, container);
        for (Path file : List.of(BASE.resolve("facecheck.yaml"), PRODUCTION.resolve("facecheck.yaml"))) {
            WorkerConfig config = load(file, kubernetesEnvironment(container), mounts);
            String where = file.toString();
            assertThat(container.path("ports").get(0).path("containerPort").asInt()).as(where)
                    .isEqualTo(config.http().port());
            assertThat(pod.path("terminationGracePeriodSeconds").asLong()).as(where)
                    .isGreaterThan(config.shutdown().drainTimeout().toSeconds());
            assertThat(mounts).as(where).containsEntry(config.streams().stateDir().toString(), "pvc:state");
            assertThat(config.streams().standbyReplicas()).as(where).isPositive();
            assertThat(config.kafka().properties()).as(where).containsEntry("group.instance.id", "facecheck-0")
                    .containsEntry("application.server", "facecheck-0.facecheck.facecheck.svc:" + config.http().port());
            checkScaledObjectAndTopicsJob(config, where);
        }
        String configPath = args(container).get(args(container).indexOf("--config") + 1);
        assertThat(mounts).containsEntry(configPath, "configMap:facecheck-config/facecheck.yaml");
    }

    @Test
    void probesAndScrapesUseTheApplicationsRoutesOnTheHttpPort() throws IOException {
        JsonNode container = read(BASE.resolve("statefulset.yaml")).path("spec").path("template").path("spec")
                .path("containers").get(0);
        String portName = container.path("ports").get(0).path("name").asText();
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo(HttpSurface.LIVE);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo(HttpSurface.READY);
        assertThat(List.of(container.path("livenessProbe"), container.path("readinessProbe")))
                .allSatisfy(p -> assertThat(p.path("httpGet").path("port").asText()).isEqualTo(portName));
        JsonNode endpoint = read(BASE.resolve("servicemonitor.yaml")).path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("path").asText()).isEqualTo(HttpSurface.METRICS);
        assertThat(endpoint.path("port").asText()).isEqualTo(portName);
        JsonNode servicePort = read(BASE.resolve("service.yaml")).path("spec").path("ports").get(0);
        assertThat(servicePort.path("name").asText()).isEqualTo(portName);
        assertThat(servicePort.path("targetPort").asText()).isEqualTo(portName);
    }

    @Test
    void podsAreRestrictedAndGetNoServiceLinks() throws IOException {
        for (Path manifest : List.of(BASE.resolve("statefulset.yaml"), BASE.resolve("topics-job.yaml"))) {
            JsonNode pod = read(manifest).path("spec").path("template").path("spec");
            // A Service named kafka or facecheck would add KAFKA_… and FACECHECK_… variables the worker reads.
            assertThat(pod.path("enableServiceLinks").isBoolean() && !pod.path("enableServiceLinks").asBoolean())
                    .as(manifest.toString()).isTrue();
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(manifest.toString()).isTrue();
            for (JsonNode container : pod.path("containers")) {
                JsonNode security = container.path("securityContext");
                assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(manifest.toString()).isTrue();
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(manifest.toString())
                        .isFalse();
                assertThat(kubernetesMounts(pod, container)).as(manifest.toString()).containsKey("/tmp");
                assertThat(container.path("resources").path("limits").path("memory").isMissingNode())
                        .as(manifest.toString()).isFalse();
            }
        }
    }

    private void checkScaledObjectAndTopicsJob(WorkerConfig config, String where) throws IOException {
        JsonNode scaledObject = read(BASE.resolve("scaledobject.yaml")).path("spec");
        JsonNode trigger = scaledObject.path("triggers").get(0).path("metadata");
        List<String> job = args(read(BASE.resolve("topics-job.yaml")).path("spec").path("template").path("spec")
                .path("containers").get(0));
        int partitions = Integer.parseInt(job.get(job.indexOf("--partitions") + 1));
        assertThat(scaledObject.path("maxReplicaCount").asInt()).as(where).isBetween(1, partitions);
        // An overlay's patch may move the bounds: they stay within the base's maximum and the partitions.
        for (Path manifest : manifests()) {
            JsonNode node = read(manifest);
            JsonNode spec = node.path("spec");
            if (node.path("kind").asText().equals("ScaledObject")) {
                assertThat(spec.path("maxReplicaCount").asInt(scaledObject.path("maxReplicaCount").asInt()))
                        .as(manifest.toString()).isLessThanOrEqualTo(partitions)
                        .isGreaterThanOrEqualTo(spec.path("minReplicaCount").asInt(1));
            }
        }
        assertThat(trigger.path("consumerGroup").asText()).as(where).isEqualTo(config.kafka().applicationId());
        assertThat(trigger.path("topic").asText()).as(where).isEqualTo(config.topics().requests());
        assertThat(trigger.path("bootstrapServers").asText()).as(where).isEqualTo(config.kafka().bootstrapServers());
        assertThat(job.get(job.indexOf("--bootstrap-servers") + 1)).as(where)
                .isEqualTo(config.kafka().bootstrapServers());
    }

    /**
     * The worker's configuration as a container would load it: the file, the environment, and each secret's file
     * written where its {@code _FILE} variable points, below the mount that holds it.
     */
    private WorkerConfig load(Path file, Map<String, String> environment, Map<String, String> mounts)
            throws IOException {
        Map<String, String> resolved = new HashMap<>(environment);
        Map<String, String> secretValues = Map.of(Credentials.APPCODE_ENV, "deployment-test-appcode",
                Secrets.HASH_SECRET_ENV, "deployment-test-hash-secret-0123456789", Keyset.ENV,
                Keyset.generate().toJson());
        secretValues.forEach((variable, value) -> {
            String path = environment.get(variable + Credentials.FILE_SUFFIX);
            assertThat(path).as(variable + Credentials.FILE_SUFFIX).isNotNull();
            String mount = mounts.keySet().stream().filter(m -> path.startsWith(m + "/")).findFirst().orElse(null);
            assertThat(mount).as(path + " lies in a mounted volume").isNotNull();
            Path local = dir.resolve(variable + "-" + path.substring(mount.length() + 1));
            write(local, value);
            resolved.put(variable + Credentials.FILE_SUFFIX, local.toString());
        });
        return ConfigLoader.load(new ConfigLoader.Sources(file, resolved, List.of())).workerConfig();
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, JsonNode> composeServices() throws IOException {
        Map<String, JsonNode> services = new LinkedHashMap<>();
        read(COMPOSE).path("services").fields().forEachRemaining(e -> {
            if (IMAGES.contains(e.getValue().path("image").asText())) {
                services.put(e.getKey(), e.getValue());
            }
        });
        assertThat(services).containsKeys("worker", "simulator", "topics");
        return services;
    }

    private static Map<String, String> composeEnvironment(JsonNode service) {
        Map<String, String> environment = new LinkedHashMap<>();
        service.path("environment").fields().forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
        return environment;
    }

    /** Where each volume is mounted in a compose service: path → volume. */
    private static Map<String, String> composeMounts(JsonNode service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        service.path("volumes").forEach(v -> {
            String[] parts = v.asText().split(":");
            mounts.put(parts[1], parts[0]);
        });
        return mounts;
    }

    /** A container's variables with a value, {@code $(NAME)} references and downward-API fields resolved. */
    private static Map<String, String> kubernetesEnvironment(JsonNode container) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            String value = variable.has("value") ? variable.path("value").asText()
                    : FIELD_VALUES.get(variable.path("valueFrom").path("fieldRef").path("fieldPath").asText());
            for (Map.Entry<String, String> earlier : environment.entrySet()) {
                value = value == null ? null : value.replace("$(" + earlier.getKey() + ")", earlier.getValue());
            }
            environment.put(variable.path("name").asText(), value);
        }
        return environment;
    }

    /** Where each volume is mounted in a pod's container: path → {@code kind:name[/subPath]}. */
    private static Map<String, String> kubernetesMounts(JsonNode pod, JsonNode container) {
        Map<String, String> volumes = new HashMap<>();
        for (JsonNode volume : pod.path("volumes")) {
            String kind = volume.has("configMap") ? "configMap:" + volume.path("configMap").path("name").asText()
                    : volume.has("secret") ? "secret:" + volume.path("secret").path("secretName").asText()
                    : "emptyDir:" + volume.path("name").asText();
            volumes.put(volume.path("name").asText(), kind);
        }
        Map<String, String> mounts = new LinkedHashMap<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            String name = mount.path("name").asText();
            String source = volumes.getOrDefault(name, "pvc:" + name);
            mounts.put(mount.path("mountPath").asText(),
                    mount.has("subPath") ? source + "/" + mount.path("subPath").asText() : source);
        }
        return mounts;
    }

    private static List<String> args(JsonNode container) {
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static List<JsonNode> containers(JsonNode manifest) {
        List<JsonNode> containers = new ArrayList<>();
        manifest.path("spec").path("template").path("spec").path("containers").forEach(containers::add);
        return containers;
    }

    private static String portAfter(String option, String command) {
        Matcher port = Pattern.compile(Pattern.quote(option) + "\",\"(\\d+)").matcher(command);
        assertThat(port.find()).as(command).isTrue();
        return port.group(1);
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            List<Path> manifests = files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("facecheck.yaml")).sorted().toList();
            assertThat(manifests).contains(BASE.resolve("kustomization.yaml"), PRODUCTION.resolve("kustomization.yaml"));
            return manifests;
        }
    }

    private static JsonNode read(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }
}
