package com.facecheck.cli;

import com.facecheck.app.WorkerConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import picocli.CommandLine.Option;

/**
 * How a command reaches Kafka, in the conventions of Kafka Streams applications: {@code --bootstrap-servers} and
 * {@code --kafka-config k=v,…}, which every client of the command gets (the admin client too, so that security
 * settings apply everywhere).
 */
final class KafkaOptions {

    /** How long a command waits for the cluster's first answer before saying it cannot reach it. */
    private static final int REACH_SECONDS = 15;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,…", defaultValue = "localhost:9092",
            description = "Kafka brokers to connect to (default: ${DEFAULT-VALUE}, where ./facecheck broker listens)")
    private String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "KEY=VALUE", split = ",",
            description = "Kafka client properties, e.g. security.protocol=SASL_SSL,sasl.mechanism=PLAIN (comma-"
                    + "separated, or the option repeated)")
    private Map<String, String> kafkaConfig = new LinkedHashMap<>();

    /** The same access for a command that reads where Kafka is from the worker's configuration instead. */
    static KafkaOptions of(WorkerConfig.Kafka kafka) {
        KafkaOptions options = new KafkaOptions();
        options.bootstrapServers = kafka.bootstrapServers();
        options.kafkaConfig = new LinkedHashMap<>(kafka.properties());
        return options;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** The client properties: the bootstrap servers and everything given with {@code --kafka-config}. */
    Map<String, Object> properties() {
        if (kafkaConfig.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new CliError("--kafka-config " + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG
                    + ": give the brokers with --bootstrap-servers instead");
        }
        Map<String, Object> p = new HashMap<>(kafkaConfig);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /** An admin client whose calls give up after {@value #REACH_SECONDS} s unless the settings say otherwise. */
    Admin admin() {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, REACH_SECONDS * 1000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, REACH_SECONDS * 1000);
        p.putAll(properties());
        return withSettings(() -> Admin.create(p));
    }

    /** An admin client that has reached the cluster: an unreachable cluster or wrong settings fail here, as themselves. */
    Admin reachedAdmin() {
        Admin admin = admin();
        try {
            topics(admin);
            return admin;
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    /** Creates a client (or does what creates one): a setting Kafka refuses is the user's to fix. */
    <T> T withSettings(Supplier<T> creation) {
        try {
            return creation.get();
        } catch (KafkaException e) {
            ConfigException wrong = e instanceof ConfigException direct ? direct
                    : e.getCause() instanceof ConfigException wrapped ? wrapped : null;
            if (wrong == null) {
                throw e;
            }
            throw new CliError("--kafka-config: " + wrong.getMessage());
        }
    }

    /** The cluster's topics: the first call of a command, which tells a wrong address or setting apart. */
    Set<String> topics(Admin admin) {
        try {
            return admin.listTopics().names().get(REACH_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw failure("list the topics", e);
        }
    }

    /** Fails when a topic of {@code topics} does not exist, naming it; the worker's topics are made with one command. */
    void requireTopics(List<String> topics) {
        List<String> missing;
        try (Admin admin = admin()) {
            Set<String> existing = topics(admin);
            missing = topics.stream().filter(topic -> !existing.contains(topic)).toList();
        }
        if (!missing.isEmpty()) {
            throw new CliError((missing.size() == 1 ? "topic " + missing.get(0) + " does not exist"
                    : missing.size() + " topics do not exist (" + missing.get(0) + ", …)") + " at " + bootstrapServers
                    + ": create the worker's topics first (./facecheck topics create)");
        }
    }

    /**
     * What a failed call to the cluster means for the user: no answer or refused credentials and permissions are
     * theirs to fix (a {@link CliError}), and so is a refusal that trying again cannot change (a replication factor
     * the cluster cannot have, a setting a policy forbids); anything else is a failure with Kafka's reason.
     */
    RuntimeException failure(String doing, Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new CliError("no Kafka broker answered at " + bootstrapServers + " within " + REACH_SECONDS
                    + " s: start one (./facecheck broker), or check --bootstrap-servers and --kafka-config");
        }
        if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
            return new CliError("Kafka at " + bootstrapServers + " refused to " + doing + ": " + cause.getMessage()
                    + ". Check the credentials and permissions in --kafka-config");
        }
        if (cause instanceof ApiException && !(cause instanceof RetriableException)) {
            return new CliError("Kafka at " + bootstrapServers + " refused to " + doing + ": " + cause.getMessage());
        }
        return new IllegalStateException("cannot " + doing + " at " + bootstrapServers + ": " + cause, cause);
    }
}
