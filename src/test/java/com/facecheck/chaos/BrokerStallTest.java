package com.facecheck.chaos;

import com.facecheck.chaos.ChaosRequests.Sent;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatorBehaviour;
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
        ChaosLog log = new ChaosLog("broker stall");
        Random random = log.random();
        List<Sent> sent = ChaosRequests.mix("stall-", REQUESTS, 400_000, ChaosRequests.SMALL_PHOTO, log.seed());
        try (BrokerNodes broker = BrokerNodes.start(dir.resolve("kafka"), 1);
             Stage stage = Stage.set(broker.bootstrapServers(), (short) 1, dir, "chaos-stall",
                     SimulatorBehaviour.wellBehaved().withLatency(100), "", "consumer.session.timeout.ms=6000",
                     "consumer.heartbeat.interval.ms=1000", "producer.transaction.timeout.ms=5000")) {
            ProviderSimulator simulator = stage.simulator;
            try (WorkerProcess worker = WorkerProcess.start(stage.deployment, "a", "run1");
                 Outputs out = new Outputs(stage.bootstrap, stage.names)) {
                long exposed;
                try (Feeder feeder = Feeder.start(stage.bootstrap, stage.names.requests(), sent, REQUESTS_PER_SECOND)) {
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
                    log.say("thawed, results again; %d calls from a second before the freeze to %d s into it, %d in"
                            + " all of it", exposedByFreeze - inFlightAtFreeze, HOLD_AFTER.toSeconds(),
                            callsWhileFrozen);
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
                    log.say("broker started again; %d calls from a second before the kill to %d s after, %d while it"
                            + " was down", exposedByKill - inFlightAtKill, HOLD_AFTER.toSeconds(),
                            simulator.calls() - callsAtKill);
                    exposed = exposedByFreeze + exposedByKill;
                    feeder.awaitSent(Duration.ofMinutes(3));
                }
                out.awaitEvery(sent, Duration.ofMinutes(3));

                Promises.Report report = Promises.check(sent, out, simulator, Set.of());
                log.say("%s; %.0f rebalances", report.summary(),
                        worker.metric("facecheck_streams_rebalances_total"));
                // A fenced producer's transaction is aborted and the answers it held are redone: the calls exposed are
                // those started in the second before the freeze and the kill, those in flight then, and those started
                // before the worker held calls back.
                report.assertKept().assertRanOnWithExtraCallsAtMost(worker, exposed);
            }
        }
    }
}
