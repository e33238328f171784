package com.facecheck.app;

import com.facecheck.contract.PersonFields;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.provider.RetryPolicy;
import com.facecheck.topology.Admission;
import com.facecheck.topology.CallSetup;
import com.facecheck.topology.TopicNames;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Everything the worker needs: one tree of records whose components are the configuration's keys
 * ({@code docs/configuration.md}), plus the secrets, which are never keys. Built in code with
 * {@link #defaults} and {@link #with}, or loaded by {@link ConfigLoader}; {@link #requireValid} checks it once,
 * reporting every problem at once.
 */
public record WorkerConfig(
        @NotNull @Valid Kafka kafka,
        @NotNull @Valid TopicNames topics,
        @NotNull @Valid Provider provider,
        @NotNull @Valid Requests requests,
        @NotNull @Valid Caps caps,
        @NotNull @Valid Dedup dedup,
        @NotNull @Valid Budget budget,
        @NotNull @Valid Results results,
        @NotNull @Valid Shutdown shutdown,
        @NotNull @Valid Http http,
        @NotNull @Valid Streams streams,
        @NotNull Secrets secrets) {

    /**
     * A request crosses four commits before its result is visible, each adding half an interval on average: at 20 ms
     * that is 40 ms instead of Kafka Streams' exactly-once default of 100 ms (200 ms), for the same throughput
     * (docs/benchmarks.md, "Tuning the latency").
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(20);

    static final String AT_LEAST_1MS = "must be at least 1ms";
    static final String NOT_NEGATIVE = "must not be negative";

    /**
     * Where Kafka is and who the worker is there.
     *
     * @param properties Kafka Streams and client properties, passed through untouched and applied last
     */
    public record Kafka(
            @NotBlank String bootstrapServers,
            // '.' and '..' would name the state folder itself or its parent, which a reset deletes.
            @NotNull @Pattern(regexp = "(?!\\.{1,2}$)[a-zA-Z0-9._-]{1,249}",
                    message = "must be 1–249 letters, digits, '.', '_' or '-', and not '.' or '..'") String applicationId,
            @NotNull Map<String, String> properties) {

        /** Kafka properties that are keys here: as properties they would slip past the keys' order of precedence. */
        static final Map<String, String> KEYED_PROPERTIES = Map.of(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka.bootstrap-servers",
                StreamsConfig.APPLICATION_ID_CONFIG, "kafka.application-id",
                StreamsConfig.STATE_DIR_CONFIG, "streams.state-dir",
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, "streams.threads",
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "streams.commit-interval",
                StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "streams.standby-replicas");

        public Kafka {
            properties = Collections.unmodifiableMap(new TreeMap<>(properties == null ? Map.of() : properties));
            for (String name : properties.keySet()) {
                String key = KEYED_PROPERTIES.get(name);
                if (key != null) {
                    throw new IllegalArgumentException("the Kafka property " + name + " is the key " + key
                            + " here: set that instead (" + ConfigKeys.environmentVariable(key) + ", the file or --set)");
                }
            }
        }

        /** Property names only: values such as sasl.jaas.config carry passwords. */
        @Override
        public String toString() {
            return "Kafka[bootstrapServers=" + bootstrapServers + ", applicationId=" + applicationId + ", properties="
                    + properties.keySet() + "]";
        }
    }

    /**
     * How the provider is called.
     *
     * @param maxInFlight    calls in flight at once per worker, also the HTTP connection pool size
     * @param callsPerSecond calls per second for all instances together; 0 means no limit
     * @param probeInterval  while the provider is unavailable, how often one call probes whether it is back
     * @param onUnavailable  whether requests wait while the provider is unavailable, or fail to the dead letters
     * @param pricePerCall   what one billed call costs (CNY), for the estimated spend
     */
    public record Provider(
            @NotNull ProviderUrl url,
            @NotNull @DurationMin(millis = 1, message = AT_LEAST_1MS) Duration callTimeout,
            @Min(1) @Max(10_000) int maxInFlight,
            @PositiveOrZero(message = "must be 0 (no limit) or more") double callsPerSecond,
            @NotNull @DurationMin(millis = 1, message = AT_LEAST_1MS) Duration probeInterval,
            @NotNull CallSetup.OnUnavailable onUnavailable,
            @NotNull @DecimalMin(value = "0", message = NOT_NEGATIVE) BigDecimal pricePerCall,
            @NotNull @Valid RetryPolicy retry) {
    }

    /**
     * What a request must carry to be checked at all.
     *
     * @param requireConsent whether a request without a consentId gets result 7 {@code missing-consent}, no call
     */
    public record Requests(boolean requireConsent) {
    }

    /**
     * The provider's own 24-hour caps, kept before any call is paid for.
     *
     * @param perId        most calls for one ID number in any window
     * @param perName      most calls for one name in any window
     * @param window       the caps' window, on the wall clock as the provider counts
     * @param claimTimeout how long a request waits for the name stage before it ends as an internal error
     */
    public record Caps(
            @Min(1) int perId,
            @Min(1) int perName,
            @NotNull @DurationMin(millis = 1, message = AT_LEAST_1MS) Duration window,
            @NotNull @DurationMin(millis = 1, message = AT_LEAST_1MS) Duration claimTimeout) {
    }

    /** @param window a request id served again within this time is a duplicate */
    public record Dedup(@NotNull @DurationMin(millis = 1, message = AT_LEAST_1MS) Duration window) {
    }

    /** @param dailyCalls most calls per day (Asia/Shanghai) for all instances; 0 for no budget */
    public record Budget(@Min(value = 0, message = "must be 0 (no budget) or more") long dailyCalls) {
    }

    /** @param personFields which of the person's fields results show besides personId */
    public record Results(@NotNull PersonFields personFields) {
    }

    /** @param drainTimeout how long a stop waits for the worker to finish its work and close */
    public record Shutdown(@NotNull @DurationMin(millis = 1, message = AT_LEAST_1MS) Duration drainTimeout) {
    }

    /** @param port where the worker serves its health and metrics; 0 for any free port */
    public record Http(@Min(0) @Max(65_535) int port) {
    }

    /**
     * Kafka Streams settings.
     *
     * @param threads         stream threads per worker
     * @param standbyReplicas warm copies of each task's state on other instances (1 makes a failover restore-free)
     * @param stateDir        where the state stores live; unset, Kafka Streams' own default
     */
    public record Streams(
            @Min(1) @Max(64) int threads,
            @NotNull @DurationMin(millis = 1, message = AT_LEAST_1MS) Duration commitInterval,
            @Min(0) @Max(10) int standbyReplicas,
            Path stateDir,
            @NotNull @DurationMin(millis = 1, message = AT_LEAST_1MS) Duration startTimeout) {
    }

    /** Every key at its default; where Kafka and the provider are, the state folder and the secrets unset. */
    static final WorkerConfig DEFAULTS = new WorkerConfig(
            new Kafka(null, "facecheck-streams", Map.of()),
            TopicNames.defaults(),
            new Provider(null, Duration.ofSeconds(10), 256, 0, Duration.ofSeconds(30), CallSetup.OnUnavailable.PAUSE,
                    new BigDecimal("0.20"), RetryPolicy.defaults()),
            new Requests(true),
            new Caps(Admission.DEFAULT_PER_ID, Admission.DEFAULT_PER_NAME, Admission.DEFAULT_WINDOW,
                    Admission.DEFAULT_CLAIM_TIMEOUT),
            new Dedup(Admission.DEFAULT_WINDOW),
            new Budget(0),
            new Results(PersonFields.DEFAULT),
            new Shutdown(Duration.ofSeconds(30)),
            new Http(8081),
            new Streams(1, DEFAULT_COMMIT_INTERVAL, 0, null, Duration.ofMinutes(10)),
            null);

    /** Defaults for everything but where Kafka and the provider are, the secrets and the state folder. */
    public static WorkerConfig defaults(String bootstrapServers, ProviderUrl providerUrl, Credentials credentials,
                                        String hashSecret, Path stateDir) {
        return DEFAULTS.with("kafka.bootstrap-servers", bootstrapServers).with("provider.url", providerUrl)
                .with("streams.state-dir", stateDir).with("secrets", new Secrets(credentials, hashSecret));
    }

    /**
     * A copy with one key, or a whole section, replaced: {@code with("caps.per-id", 100)},
     * {@code with("topics", names)}. Check the result with {@link #requireValid}; the worker does when it starts.
     *
     * @throws IllegalArgumentException for a key that does not exist or a value of the wrong type
     */
    public WorkerConfig with(String key, Object value) {
        return ConfigKeys.with(this, key, value);
    }

    /**
     * Checks every key against its constraints.
     *
     * @throws ConfigException listing every problem, one per key
     */
    public void requireValid() {
        List<ConfigProblem> problems = ConfigCheck.problems(this);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** What decides whether a request may reach the provider, keyed by {@code keys}. */
    public Admission admission(KeyedHasher keys) {
        return new Admission(keys, dedup.window(), caps.window(), caps.perId(), caps.perName(), caps.claimTimeout(),
                requests.requireConsent());
    }
}
