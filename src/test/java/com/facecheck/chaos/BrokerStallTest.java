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

    private static final int REQUESTS = 1_500;
    private static final double REQUESTS_PER_SECOND = 50;
    private static final int WARM_UP = 100;
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
                try (Feeder feeder = stage.feedOnceServing(sent, WARM_UP, REQUESTS_PER_SECOND, out)) {
                    log.say("worker serving, calls flowing");
                    Thread.sleep(random.nextInt(2_000));
                    int committedAtFreeze = out.committedNow();
                    Stage.Exposure atFreeze = stage.exposureOf(worker);
                    broker.freeze(0);
                    log.say("froze the broker after %d requests sent, %d calls unsettled",
                            WARM_UP + feeder.handedOver(), atFreeze.unsettled());
                    Thread.sleep(HOLD_AFTER.toMillis());
                    long exposedByFreeze = atFreeze.total();
                    Thread.sleep(FROZEN.minus(HOLD_AFTER).toMillis());
                    long callsWhileFrozen = atFreeze.started();
                    broker.thaw(0);
                    out.awaitProgressBeyond(committedAtFreeze, Duration.ofMinutes(2));
                    log.say("thawed, results again; %d calls started in the first %d s of the freeze, %d in all of"
                            + " it", exposedByFreeze - atFreeze.unsettled(), HOLD_AFTER.toSeconds(), callsWhileFrozen);
                    stage.awaitMoreCalls(20, Duration.ofMinutes(1));
                    Thread.sleep(random.nextInt(1_000));
                    Stage.Exposure atKill = stage.exposureOf(worker);
                    broker.kill(0);
                    log.say("killed the broker after %d requests sent, %d calls unsettled",
                            WARM_UP + feeder.handedOver(), atKill.unsettled());
                    Thread.sleep(HOLD_AFTER.toMillis());
                    long exposedByKill = atKill.total();
                    broker.restart(0);
                    log.say("broker started again; %d calls started in the first %d s after the kill, %d while it"
                            + " was down", exposedByKill - atKill.unsettled(), HOLD_AFTER.toSeconds(),
                            atKill.started());
                    exposed = exposedByFreeze + exposedByKill;
                    feeder.awaitSent(Duration.ofMinutes(3));
                }
                out.awaitEvery(sent, Duration.ofMinutes(3));

                Promises.Report report = Promises.check(sent, out, simulator, Set.of());
                log.say("%s; %.0f rebalances", report.summary(),
                        worker.metric("facecheck_streams_rebalances_total"));
                // A fenced producer's transaction is aborted and the answers it held are redone: the calls exposed are
                // those unsettled at the freeze and at the kill, and those started after each before the worker held
                // calls back.
                report.assertKept().assertRanOnWithExtraCallsAtMost(worker, exposed);
            }
        }
    }
}
