package com.facecheck.app;

import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Billing;
import com.facecheck.provider.Credentials;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.provider.RetryPolicy;
import com.facecheck.simulator.SimulatedIdentity;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.testing.CapturedLogs;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.ServeMeters;
import com.facecheck.topology.TopicNames;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand requests against a provider that fails 30 % of the calls (server errors, timeouts, resets,
 * malformed answers): every request must end classified, every call the provider billed must be counted billed or
 * of unknown billing, and the logs must hold no credential and no person's data.
 */
class ThousandRequestsWithFaultsTest {

    private static final int REQUESTS = 1000;
    private static final String APP_CODE = "faults-test-appcode-7f3a9c";

    @TempDir
    Path stateDir;

    @Test
    void everyRequestIsClassifiedEveryBilledCallCountedAndLogsStayClean() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("faults.");
        TopicSetup.createMissing(bootstrap, names, 4, (short) 1);
        List<SimulatedIdentity> people = ProviderSimulator.defaultIdentities();
        String image = TestImages.jpegBase64(320, 400);
        Random random = new Random(7);

        Vertx vertx = Vertx.vertx();
        AppCode appCode = AppCode.of(APP_CODE);
        try (CapturedLogs logs = new CapturedLogs();
             ProviderSimulator simulator = new ProviderSimulator(vertx, ProviderSimulator.Accounts.appCodeOnly(appCode), people)) {
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(5).withFaults(0.12, 0.06, 0.06, 0.06));
            ProviderUrl url = ProviderUrl.of("http://127.0.0.1:" + simulator.start(0));
            WorkerConfig config = WorkerConfig.defaults(bootstrap, url, new Credentials.AppCodeAuth(appCode),
                            "faults-test-secret-0123456789", stateDir)
                    .with("kafka.application-id", "faults-1000").with("topics", names)
                    // The registry's few people get a hundred requests here: the caps would answer most of them.
                    .with("caps.per-id", REQUESTS).with("caps.per-name", REQUESTS)
                    .with("provider.call-timeout", Duration.ofMillis(700))
                    .with("provider.retry", new RetryPolicy(4, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMinutes(2)))
                    .with("provider.probe-interval", Duration.ofSeconds(30));
            try (Worker worker = Worker.start(config);
                 OutputCollector out = new OutputCollector(bootstrap, names.outputs())) {
                Traffic.send(bootstrap, names.requests(), Traffic.requests("f-", shuffled(people, random), REQUESTS, image));
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (Traffic.results(out.records(), names).size() < REQUESTS && System.nanoTime() < deadline) {
                    out.poll(Duration.ofMillis(200));
                }
                out.poll(Duration.ofSeconds(1));

                List<VerificationResult> results = Traffic.results(out.records(), names);
                assertThat(results).hasSize(REQUESTS);
                assertThat(results).extracting(VerificationResult::requestId).doesNotHaveDuplicates();
                Map<Outcome, Integer> byOutcome = new HashMap<>();
                results.forEach(r -> byOutcome.merge(r.outcomeEnum(), 1, Integer::sum));
                List<VerificationResult> verdicts = results.stream().filter(r -> r.outcomeEnum().isVerdict()).toList();
                assertThat(verdicts).extracting(VerificationResult::billing).containsOnly("billed");
                assertThat(simulator.billedCalls()).as("the malformed answers' 200s are billed too, %s", byOutcome)
                        .isGreaterThan(verdicts.size());
                assertThat(results.stream().filter(r -> r.attempts() > 1).count()).as("some requests needed retries")
                        .isPositive();
                long billed = (long) worker.count(ServeMeters.ANSWERS, "billing", Billing.BILLED.label());
                long unknown = (long) worker.count(ServeMeters.ANSWERS, "billing", Billing.UNKNOWN.label());
                // A 200 the worker saw was billed; one whose connection it gave up on first may have been billed too.
                assertThat(simulator.billedCalls()).as("billed at the provider, against %d (+%d unknown) at the worker",
                        billed, unknown).isBetween(billed, billed + unknown);
                assertThat(unknown).as("timeouts and resets").isPositive();
                assertThat(worker.count(ServeMeters.ANSWERS)).as("every answer is counted, retried ones too")
                        .isGreaterThan(verdicts.size());
                assertThat(worker.count("facecheck.provider.unavailable")).as("faults never open the circuit").isZero();
            }
            String logged = logs.text();
            assertThat(logged).isNotEmpty().doesNotContain(APP_CODE).doesNotContain(image.substring(0, 32));
            for (SimulatedIdentity person : people) {
                assertThat(logged).doesNotContain(person.idNumber()).doesNotContain(person.name());
            }
        } finally {
            vertx.close();
        }
    }

    /**
     * Mostly people the registry does not know (answered "no such ID number"), and one request in ten for one of
     * its people, so every kind of answer comes back and some people have several requests, as in life. A
     * person's requests are served one after the other, so a few people with a hundred requests each would
     * make this a test of patience instead.
     */
    private static List<SimulatedIdentity> shuffled(List<SimulatedIdentity> people, Random random) {
        List<SimulatedIdentity> chosen = new ArrayList<>(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            SimulatedIdentity known = people.get(random.nextInt(people.size()));
            chosen.add(i % 10 == 0 ? known : new SimulatedIdentity(known.name(), TestIds.idNumber(40_000 + i),
                    Outcome.ID_NOT_FOUND.code(), null, null, null, null));
        }
        return chosen;
    }
}
