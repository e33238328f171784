package com.facecheck.app;

import com.facecheck.contract.PersonFields;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.provider.RetryPolicy;
import com.facecheck.topology.Admission;
import com.facecheck.topology.CallSetup;
import com.facecheck.topology.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the worker needs, validated once when it is built: a mistake fails at start-up with a message
 * that names the setting, never later.
 *
 * @param hashSecret  key of the HMAC that turns personal data into stable identifiers; never printed
 * @param maxInFlight provider calls in flight at once per worker, also the HTTP connection pool size
 * @param callsPerSecond provider calls per second for all instances together; 0 means no limit
 * @param retry          how failed calls are tried again
 * @param probeInterval  while the provider is unavailable, how often one call probes whether it is back
 * @param onUnavailable  whether requests wait while the provider is unavailable, or fail to the dead letters
 * @param resultPersonFields which of the person's fields results show besides personId (result.person-fields)
 * @param kafka       extra Kafka Streams/client properties, applied last
 */
public record WorkerConfig(
        String bootstrapServers,
        String applicationId,
        Path stateDir,
        TopicNames topics,
        ProviderUrl providerUrl,
        Credentials credentials,
        Duration callTimeout,
        int maxInFlight,
        double callsPerSecond,
        RetryPolicy retry,
        Duration probeInterval,
        CallSetup.OnUnavailable onUnavailable,
        String hashSecret,
        int streamThreads,
        Duration commitInterval,
        Limits limits,
        int standbyReplicas,
        PersonFields resultPersonFields,
        Map<String, String> kafka) {

    /**
     * What may reach the provider.
     *
     * @param perId       caps.per-id: most calls for one ID number in any cap window
     * @param perName     caps.per-name: most calls for one name in any cap window
     * @param capWindow   caps.window: the caps' window (wall clock, as the provider counts), 24 h
     * @param dedupWindow dedup.window: a request id served again within this time is a duplicate, 24 h
     * @param dailyCalls  budget.daily-calls: most calls per day (Asia/Shanghai) for all instances; 0 for no budget
     * @param claimTimeout claim-timeout: how long a request waits for the name stage before it ends as an internal
     *                     error
     */
    public record Limits(int perId, int perName, Duration capWindow, Duration dedupWindow, long dailyCalls,
                         Duration claimTimeout) {

        public static final Limits DEFAULT = new Limits(Admission.DEFAULT_PER_ID, Admission.DEFAULT_PER_NAME,
                Admission.DEFAULT_WINDOW, Admission.DEFAULT_WINDOW, 0, Admission.DEFAULT_CLAIM_TIMEOUT);

        public Limits {
            Admission.requireValid(dedupWindow, capWindow, perId, perName, claimTimeout);
            require(dailyCalls >= 0, "budget.daily-calls must be 0 (no budget) or more");
        }

        public Admission admission(KeyedHasher keys) {
            return new Admission(keys, dedupWindow, capWindow, perId, perName, claimTimeout);
        }
    }

    public WorkerConfig {
        require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrap servers are not set");
        require(applicationId != null && applicationId.matches("[a-zA-Z0-9._-]+"),
                "the application id must be letters, digits, '.', '_' or '-'");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(providerUrl, "providerUrl");
        Objects.requireNonNull(credentials, "credentials");
        require(isPositive(callTimeout), "the call timeout must be positive");
        require(maxInFlight >= 1 && maxInFlight <= 10_000, "max in-flight calls must be 1–10000");
        require(callsPerSecond >= 0 && Double.isFinite(callsPerSecond), "calls per second must be 0 (no limit) or more");
        Objects.requireNonNull(retry, "retry");
        require(isPositive(probeInterval), "the probe interval must be positive");
        Objects.requireNonNull(onUnavailable, "onUnavailable");
        KeyedHasher.requireUsable(hashSecret == null ? null : hashSecret.getBytes(StandardCharsets.UTF_8));
        require(streamThreads >= 1 && streamThreads <= 64, "stream threads must be 1–64");
        require(isPositive(commitInterval), "the commit interval must be positive");
        Objects.requireNonNull(limits, "limits");
        require(standbyReplicas >= 0 && standbyReplicas <= 10, "standby replicas must be 0–10");
        Objects.requireNonNull(resultPersonFields, "resultPersonFields");
        kafka = Map.copyOf(kafka == null ? Map.of() : kafka);
    }

    /** Defaults for everything but where Kafka and the provider are and the secrets. */
    public static WorkerConfig defaults(String bootstrapServers, ProviderUrl providerUrl, Credentials credentials, String hashSecret,
                                        Path stateDir) {
        return new WorkerConfig(bootstrapServers, "facecheck-streams", stateDir, TopicNames.defaults(), providerUrl,
                credentials, Duration.ofSeconds(10), 256, 0, RetryPolicy.defaults(), Duration.ofSeconds(30),
                CallSetup.OnUnavailable.PAUSE, hashSecret, 1, Duration.ofMillis(100), Limits.DEFAULT,
                0, PersonFields.DEFAULT, Map.of());
    }

    public WorkerConfig withApplicationId(String id) {
        return new WorkerConfig(bootstrapServers, id, stateDir, topics, providerUrl, credentials, callTimeout,
                maxInFlight, callsPerSecond, retry, probeInterval, onUnavailable, hashSecret, streamThreads,
                commitInterval, limits, standbyReplicas, resultPersonFields, kafka);
    }

    public WorkerConfig withTopics(TopicNames names) {
        return new WorkerConfig(bootstrapServers, applicationId, stateDir, names, providerUrl, credentials, callTimeout,
                maxInFlight, callsPerSecond, retry, probeInterval, onUnavailable, hashSecret, streamThreads,
                commitInterval, limits, standbyReplicas, resultPersonFields, kafka);
    }

    public WorkerConfig withCallsPerSecond(double limit) {
        return new WorkerConfig(bootstrapServers, applicationId, stateDir, topics, providerUrl, credentials,
                callTimeout, maxInFlight, limit, retry, probeInterval, onUnavailable, hashSecret, streamThreads,
                commitInterval, limits, standbyReplicas, resultPersonFields, kafka);
    }

    /** Extra Kafka Streams/client properties, applied last. */
    public WorkerConfig withKafka(Map<String, String> properties) {
        return new WorkerConfig(bootstrapServers, applicationId, stateDir, topics, providerUrl, credentials,
                callTimeout, maxInFlight, callsPerSecond, retry, probeInterval, onUnavailable, hashSecret, streamThreads,
                commitInterval, limits, standbyReplicas, resultPersonFields, properties);
    }

    public WorkerConfig withCalls(Duration timeout, RetryPolicy retryPolicy, Duration probe) {
        return new WorkerConfig(bootstrapServers, applicationId, stateDir, topics, providerUrl, credentials,
                timeout, maxInFlight, callsPerSecond, retryPolicy, probe, onUnavailable, hashSecret, streamThreads,
                commitInterval, limits, standbyReplicas, resultPersonFields, kafka);
    }

    public WorkerConfig withLimits(Limits newLimits) {
        return new WorkerConfig(bootstrapServers, applicationId, stateDir, topics, providerUrl, credentials,
                callTimeout, maxInFlight, callsPerSecond, retry, probeInterval, onUnavailable, hashSecret, streamThreads,
                commitInterval, newLimits, standbyReplicas, resultPersonFields, kafka);
    }

    public WorkerConfig withStandbyReplicas(int replicas) {
        return new WorkerConfig(bootstrapServers, applicationId, stateDir, topics, providerUrl, credentials,
                callTimeout, maxInFlight, callsPerSecond, retry, probeInterval, onUnavailable, hashSecret, streamThreads,
                commitInterval, limits, replicas, resultPersonFields, kafka);
    }

    /** Which of the person's fields results show besides personId; the default shows only the masked name. */
    public WorkerConfig withResultPersonFields(PersonFields fields) {
        return new WorkerConfig(bootstrapServers, applicationId, stateDir, topics, providerUrl, credentials,
                callTimeout, maxInFlight, callsPerSecond, retry, probeInterval, onUnavailable, hashSecret, streamThreads,
                commitInterval, limits, standbyReplicas, fields, kafka);
    }

    private static boolean isPositive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public String toString() {
        return "WorkerConfig[bootstrapServers=" + bootstrapServers + ", applicationId=" + applicationId
                + ", stateDir=" + stateDir + ", topics=" + topics + ", providerUrl=" + providerUrl
                + ", credentials=" + credentials + ", callTimeout=" + callTimeout + ", maxInFlight=" + maxInFlight + ", callsPerSecond=" + callsPerSecond + ", retry=" + retry + ", probeInterval=" + probeInterval
                + ", onUnavailable=" + onUnavailable
                + ", hashSecret=[redacted], streamThreads=" + streamThreads + ", commitInterval=" + commitInterval
                + ", limits=" + limits  + ", standbyReplicas=" + standbyReplicas
                + ", resultPersonFields=" + resultPersonFields + ", kafka=" + kafka.keySet() + "]";
    }
}
