package com.facecheck.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.chaos.ChaosRequests.Sent;
import com.facecheck.chaos.WorkerProcess.Deployment;
import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.topology.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3, a broker that stalls and one that dies: the single broker is frozen (SIGSTOP) for twelve seconds, longer
 * than the worker's session (6 s) and transaction (5 s) timeouts, and thawed (SIGCONT), which expires the worker's
 * session and aborts its open transaction, fencing its producer; later it is killed (SIGKILL) and started again on its
 * data. The worker recovers by itself, and what the fencing cost is neither a lost result nor a doubled one.
 */
class BrokerStallTest {

    private static final int REQUESTS = 1_000;
    private static final double REQUESTS_PER_SECOND = 50;
    private static final Duration FROZEN = Duration.ofSeconds(12);
    /**
     * Within this of results no longer being committed, the worker starts no new call (two seconds, and a margin for
     * a loaded machine): a transaction aborted by the broker redoes its answers, and each would be paid again.
     */
    private static final Duration HOLD_AFTER = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void theWorkerRecoversFromAFrozenBrokerAndFromOneKilledAndRestarted() throws Exception {
        long seed = Long.getLong("facecheck.chaos.seed", System.nanoTime());
        ChaosLog log = new ChaosLog("broker stall", seed);
        Random random = new Random(seed);
        TopicNames names = TestTopics.prefixed("chaos-stall.");
        List<Sent> sent = ChaosRequests.mix("stall-", REQUESTS, 400_000, TestImages.jpegBase64(120, 150), seed);
        try (BrokerNodes broker = BrokerNodes.start(dir.resolve("kafka"), 1);
             ProviderSimulator simulator = ProviderSimulator.standalone(
                     ProviderSimulator.Accounts.appCodeOnly(AppCode.of(Deployment.APP_CODE)))) {
            String bootstrap = broker.bootstrapServers();
            TopicSetup.createMissing(bootstrap, names, 4, (short) 1);
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(100));
            Deployment deployment = Deployment.of(dir, names, bootstrap, "http://127.0.0.1:" + simulator.start(0),
                    "chaos-stall", "", "consumer.session.timeout.ms=6000", "consumer.heartbeat.interval.ms=1000",
                    "producer.transaction.timeout.ms=5000");
            try (WorkerProcess worker = WorkerProcess.start(deployment, "a", "run1");
                 Outputs out = new Outputs(bootstrap, names)) {
                long exposed;
                try (Feeder feeder = Feeder.start(bootstrap, names.requests(), sent, REQUESTS_PER_SECOND)) {
                    log.say("worker ready, sending");
                    out.awaitUntil(o -> o.resultCount() >= 50, Duration.ofMinutes(2), "the first results");
                    Thread.sleep(random.nextInt(3_000));
                    int committedAtFreeze = out.committedNow();
                    long callsAtFreeze = simulator.calls();
                    Thread.sleep(Promises.ANSWERED_BEFORE.toMillis());
                    int inFlightAtFreeze = simulator.callsInFlight();
                    broker.freeze(0);
                    log.say("froze the broker after %d requests sent, %d calls in flight", feeder.handedOver(),
                            inFlightAtFreeze);
                    Thread.sleep(HOLD_AFTER.toMillis());
                    long exposedByFreeze = inFlightAtFreeze + simulator.calls() - callsAtFreeze;
                    Thread.sleep(FROZEN.minus(HOLD_AFTER).toMillis());
                    long callsWhileFrozen = simulator.calls() - callsAtFreeze;
                    broker.thaw(0);
                    out.awaitProgressBeyond(committedAtFreeze, Duration.ofMinutes(2));
                    log.say("thawed, results again; %d calls from a second before the freeze to %d s into it, %d in all of it",
                            exposedByFreeze - inFlightAtFreeze, HOLD_AFTER.toSeconds(), callsWhileFrozen);
                    Thread.sleep(random.nextInt(1_000));
                    long callsAtKill = simulator.calls();
                    Thread.sleep(Promises.ANSWERED_BEFORE.toMillis());
                    int inFlightAtKill = simulator.callsInFlight();
                    broker.kill(0);
                    log.say("killed the broker after %d requests sent, %d calls in flight", feeder.handedOver(),
                            inFlightAtKill);
                    Thread.sleep(HOLD_AFTER.toMillis());
                    long exposedByKill = inFlightAtKill + simulator.calls() - callsAtKill;
                    broker.restart(0);
                    log.say("broker started again; %d calls from a second before the kill to %d s after, %d while it was down",
                            exposedByKill - inFlightAtKill, HOLD_AFTER.toSeconds(), simulator.calls() - callsAtKill);
                    exposed = exposedByFreeze + exposedByKill;
                    feeder.awaitSent(Duration.ofMinutes(3));
                }
                out.awaitUntil(o -> sent.stream().allMatch(s -> !o.resultsOf(s.requestId()).isEmpty()),
                        Duration.ofMinutes(3), "every request");
                Thread.sleep(1_000);
                out.catchUp();

                Promises.Report report = Promises.check(sent, out, simulator, Set.of());
                log.say("%s; %.0f rebalances", report.summary(),
                        worker.metric("facecheck_streams_rebalances_total"));
                report.assertKept();
                assertThat(worker.alive()).as("the worker ran on by itself: %s", worker.log()).isTrue();
                // A fenced producer's transaction is aborted and the answers it held are redone: the calls exposed are
                // those started in the second before the freeze and the kill, those in flight then, and those started
                // before the worker held calls back.
                assertThat(report.extraCalls()).as("calls repeated, against %d exposed", exposed)
                        .isLessThanOrEqualTo(exposed);
            }
        }
    }
}
