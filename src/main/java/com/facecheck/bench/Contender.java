package com.facecheck.bench;

import com.facecheck.app.Secrets;
import com.facecheck.cli.FacecheckCli;
import com.facecheck.contract.Outcome;
import com.facecheck.crypto.Keyset;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.topology.TopicNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What is compared, each started as its own process on the same topics, broker and simulator. */
enum Contender {

    /** The worker as shipped ({@code facecheck run}): exactly-once, deduplication, caps, calls held in a store. */
    FACECHECK("facecheck-streams"),
    /** A Kafka Streams processor that calls the provider inline and waits: the common approach. */
    SYNCHRONOUS("synchronous Streams"),
    /** A plain consumer with the same asynchronous client and no guarantees: the HTTP side's upper bound. */
    PLAIN("plain consumer"),
    /** Apache Flink's Async I/O with an exactly-once Kafka sink, on a local mini-cluster: what a team might pick. */
    FLINK("Flink Async I/O");

    private static final String HASH_SECRET = "benchmark-hash-secret-0123456789";
    /** The heap each contender gets; their peak use is measured below it. */
    static final String HEAP = "-Xmx1g";

    private final String label;

    Contender(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The name on the command line and in JSON: {@code facecheck}, {@code synchronous}, {@code plain}, {@code flink}. */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Contender ofKey(String key) {
        for (Contender contender : values()) {
            if (contender.key().equals(key.trim().toLowerCase(Locale.ROOT))) {
                return contender;
            }
        }
        throw new IllegalArgumentException("no contender '" + key + "'; choose from facecheck, synchronous, plain, flink");
    }

    /**
     * One contender's run.
     *
     * @param applicationId its consumer group (and Streams application id, transactional id prefix)
     * @param stateDir      where a Streams contender keeps its state
     * @param commitIntervalMillis Kafka Streams' commit interval, and Flink's checkpoint interval
     * @param recording     where a JFR recording goes; null for none
     */
    record Launch(String bootstrap, TopicNames topics, String applicationId, ProviderUrl provider, String appCode,
                  Scenario scenario, Path stateDir, long commitIntervalMillis, Path flinkJar, Path statsFile,
                  Path recording) {
    }

    /** The command line of its process. */
    List<String> command(Launch launch) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, HEAP));
        if (launch.recording() != null) {
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + launch.recording());
        }
        if (this == FLINK) {
            command.addAll(List.of("-jar", launch.flinkJar().toString(),
                    "--bootstrap", launch.bootstrap(), "--requests", launch.topics().requests(),
                    "--result-topics", String.join(",", resultTopicsByCode(launch.topics())),
                    "--provider-url", launch.provider().toString(),
                    "--capacity", Integer.toString(launch.scenario().inFlight()),
                    "--checkpoint-interval-ms", Long.toString(launch.commitIntervalMillis()),
                    "--group", launch.applicationId(), "--transactional-id-prefix", launch.applicationId(),
                    "--stats-file", launch.statsFile().toString()));
            return command;
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Measured.class.getName(),
                launch.statsFile().toString()));
        command.addAll(switch (this) {
            case FACECHECK -> List.of(FacecheckCli.class.getName(), "run");
            case SYNCHRONOUS -> List.of(SynchronousProcessor.class.getName());
            case PLAIN -> List.of(PlainConsumer.class.getName());
            case FLINK -> throw new AssertionError("started above");
        });
        return command;
    }

    /** The environment of its process: the worker's configuration, as {@code run} reads it, for all but Flink. */
    Map<String, String> environment(Launch launch) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Credentials.APPCODE_ENV, launch.appCode());
        if (this == FLINK) {
            return env;
        }
        env.put(Secrets.HASH_SECRET_ENV, HASH_SECRET);
        env.put(Keyset.ENV, Secrets.processKeyset().toJson());
        env.put("FACECHECK_LOG_LEVEL", "WARN");
        env.put("FACECHECK_KAFKA_BOOTSTRAP_SERVERS", launch.bootstrap());
        env.put("FACECHECK_KAFKA_APPLICATION_ID", launch.applicationId());
        env.put("FACECHECK_PROVIDER_URL", launch.provider().toString());
        env.put("FACECHECK_PROVIDER_MAX_IN_FLIGHT", Integer.toString(launch.scenario().inFlight()));
        env.put("FACECHECK_PROVIDER_CALLS_PER_SECOND", Double.toString(launch.scenario().callsPerSecond()));
        env.put("FACECHECK_STREAMS_STATE_DIR", launch.stateDir().toString());
        env.put("FACECHECK_STREAMS_COMMIT_INTERVAL", launch.commitIntervalMillis() + "ms");
        env.put("FACECHECK_HTTP_PORT", "0");
        TopicNames topics = launch.topics();
        env.put("FACECHECK_TOPICS_REQUESTS", topics.requests());
        for (Outcome outcome : Outcome.values()) {
            env.put("FACECHECK_TOPICS_RESULTS_" + variable(outcome.outcomeName()), topics.resultTopic(outcome));
        }
        env.put("FACECHECK_TOPICS_RETRYABLE_DEAD_LETTERS", topics.retryableDeadLetters());
        env.put("FACECHECK_TOPICS_POISON_DEAD_LETTERS", topics.poisonDeadLetters());
        env.put("FACECHECK_TOPICS_PARKED_DEAD_LETTERS", topics.parkedDeadLetters());
        env.put("FACECHECK_TOPICS_AUDIT", topics.audit());
        env.put("FACECHECK_TOPICS_NAME_CLAIMS", topics.nameClaims());
        env.put("FACECHECK_TOPICS_NAME_ANSWERS", topics.nameAnswers());
        return env;
    }

    private static String variable(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static List<String> resultTopicsByCode(TopicNames topics) {
        List<String> byCode = new ArrayList<>();
        for (Outcome outcome : Outcome.values()) {
            byCode.add(topics.resultTopic(outcome));
        }
        return byCode;
    }
}
