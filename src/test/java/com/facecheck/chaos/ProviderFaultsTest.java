package com.facecheck.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.chaos.ChaosRequests.Kind;
import com.facecheck.chaos.ChaosRequests.Sent;
import com.facecheck.chaos.WorkerProcess.Deployment;
import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.Billing;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.testing.CliRun;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.topology.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios 4 and 5, a provider that misbehaves in every way it can, then a replay after the outage. While requests
 * arrive for 60 seconds, the provider answers 20 % of calls with 5xx, lets 10 % time out, resets some connections and
 * answers some ten seconds late; it sends a burst of malformed bodies; its quota runs out for 30 seconds and is
 * renewed; its credentials are revoked and restored. Every request is decided or dead-lettered, the circuit opens
 * and closes again by itself, and no request is billed twice. Then {@code replay} sends the dead letters back, and
 * each ends in a final result.
 */
class ProviderFaultsTest {

    /** 60 s of requests: calls still arrive when the credentials are revoked, however late the circuit closed. */
    private static final int REQUESTS = 1_500;
    private static final double REQUESTS_PER_SECOND = 25;
    private static final SimulatorBehaviour FAULTY = new SimulatorBehaviour(50, 0.02, 10_000, 0.20, 0.10, 0.03, 0,
            0, 0, 0, 0);

    @TempDir
    Path dir;

    @Test
    void everyRequestIsDecidedOrDeadLetteredBilledOnceAndReplayedToAFinalResult() throws Exception {
        ChaosLog log = new ChaosLog("provider faults");
        List<Sent> sent = ChaosRequests.mix("provider-", REQUESTS, 500_000, ChaosRequests.SMALL_PHOTO, log.seed());
        // Calls may take longer than the spikes: a call given up on may have been billed, and could not be
        // replayed without the risk of paying twice. Probes every two seconds, so the circuit closes soon.
        try (Stage stage = Stage.set(KafkaBroker.bootstrapServers(), (short) 1, dir, "chaos-provider", FAULTY, """
                provider:
                  call-timeout: 15s
                  probe-interval: 2s
                  retry:
                    max-attempts: 4
                    first-backoff: 100ms
                    max-backoff: 1s
                """)) {
            ProviderSimulator simulator = stage.simulator;
            TopicNames names = stage.names;
            String bootstrap = stage.bootstrap;
            Deployment deployment = stage.deployment;
            try (WorkerProcess worker = WorkerProcess.start(deployment, "a", "run1");
                 Outputs out = new Outputs(bootstrap, names)) {
                try (Feeder feeder = Feeder.start(bootstrap, names.requests(), sent, REQUESTS_PER_SECOND)) {
                    Thread.sleep(5_000);
                    simulator.behaviour(FAULTY.withFaults(0, 0, 0, 1)); // a burst of malformed bodies
                    Thread.sleep(1_000);
                    simulator.behaviour(FAULTY.withLimits(0, Math.max(1, simulator.billedCalls()), 0, 0));
                    awaitCircuit(worker, true, "opens when the quota runs out");
                    Thread.sleep(30_000); // quota exhausted
                    simulator.behaviour(FAULTY); // renewed
                    // The probe after the renewal may be a call that hangs: the circuit closes when it times out.
                    awaitCircuit(worker, false, "closes once the quota is renewed");
                    simulator.revokeCredentials(true);
                    awaitCircuit(worker, true, "opens when the credentials are revoked");
                    Thread.sleep(6_000);
                    simulator.revokeCredentials(false);
                    awaitCircuit(worker, false, "closes once the credentials are restored");
                    feeder.awaitSent(Duration.ofMinutes(2));
                }
                simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(50));
                out.awaitEvery(sent, Duration.ofMinutes(3));

                Promises.Report outage = Promises.check(sent, out, simulator, Set.of());
                double openings = worker.metric("facecheck_provider_unavailable_total");
                log.say("%s; the circuit opened %.0f times", outage.summary(), openings);
                outage.assertKept();
                assertThat(outage.billedTwice()).as("requests billed twice").isZero();
                assertThat(openings).as("the circuit opened once for the quota and once for the credentials")
                        .isEqualTo(2);
                Set<String> deadLettered = Set.copyOf(out.deadLettered());
                assertThat(deadLettered).as("timeouts, resets and malformed answers are dead-lettered").isNotEmpty();

                // Scenario 5: the outage is over; the dead letters go back to the request topic.
                log.say("every request decided or dead-lettered; replaying");
                CliRun replay = CliRun.withEnvironment(deployment.environment(), "replay", "--config",
                        deployment.config().toString(), "--bootstrap-servers", bootstrap);
                assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
                assertThat(replay.out()).contains("Replayed " + deadLettered.size() + " to " + names.requests());
                out.awaitUntil(o -> deadLettered.stream().allMatch(id -> o.resultsOf(id).size() == 2),
                        Duration.ofMinutes(2), "a second result for every request replayed");
                Thread.sleep(1_000);
                out.catchUp();

                Promises.Report replayed = Promises.check(sent, out, simulator, deadLettered);
                // A malformed answer was billed before it failed: its replay is paid once more, knowingly.
                Set<String> billedFailures = sent.stream().filter(s -> s.kind() != Kind.COPY)
                        .filter(s -> deadLettered.contains(s.requestId()))
                        .filter(s -> Billing.BILLED.label().equals(out.resultsOf(s.requestId()).get(0).billing()))
                        .map(Sent::requestId).collect(Collectors.toSet());
                log.say("replay after the outage: %d replayed (%d of them billed when they failed): %s",
                        deadLettered.size(), billedFailures.size(), replayed.summary());
                replayed.assertKept();
                assertThat(sent).filteredOn(s -> simulator.billedForName(s.name()) > 1).extracting(Sent::requestId)
                        .as("billed twice: only replays of billed failures").isSubsetOf(billedFailures);
                assertThat(sent).allSatisfy(s -> assertThat(simulator.billedForName(s.name())).isLessThanOrEqualTo(2));
                assertThat(deadLettered).filteredOn(id -> !ChaosRequests.alwaysFails(id)).isNotEmpty()
                        .allSatisfy(id -> assertThat(out.resultsOf(id)).extracting(VerificationResult::error).last()
                                .as(id).isNotEqualTo(9));
            }
        }
    }

    /** Waits for the worker's circuit to open or close, as it must by itself within a call timeout and a probe. */
    private static void awaitCircuit(WorkerProcess worker, boolean open, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((worker.metric("facecheck_provider_circuit_open") == 1) != open) {
            assertThat(System.nanoTime()).as("the circuit %s, within 30 s", what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
