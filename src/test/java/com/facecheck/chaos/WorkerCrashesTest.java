package com.facecheck.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.chaos.ChaosRequests.Kind;
import com.facecheck.chaos.ChaosRequests.Sent;
import com.facecheck.chaos.WorkerProcess.Deployment;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.topology.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 1, worker crashes: 5,000 requests through two instances of {@code run}, each its own JVM. While the
 * first 4,000 arrive, an instance is killed with SIGKILL three times at random moments and started again; while the
 * last 1,000 arrive, both are restarted one after the other with SIGTERM, as a rolling restart does. Nothing is lost
 * or doubled; the kills repeat no more calls than were in flight when they struck (started and not yet committed),
 * and the rolling restart none.
 */
class WorkerCrashesTest {

    private static final int REQUESTS = 5_000;
    private static final int ROLLING_RESTART_REQUESTS = 1_000;
    private static final int KILLS = 3;
    private static final double REQUESTS_PER_SECOND = 150;
    private static final int WARM_UP = 200;

    @TempDir
    Path dir;

    @Test
    void threeKillsAndARollingRestartLoseNothingAndDoubleNothing() throws Exception {
        ChaosLog log = new ChaosLog("worker crashes");
        Random random = log.random();
        List<Sent> sent = ChaosRequests.mix("crashes-", REQUESTS, 200_000, ChaosRequests.SMALL_PHOTO, log.seed());
        List<Sent> withKills = sent.subList(0, REQUESTS - ROLLING_RESTART_REQUESTS);
        List<Sent> withRestart = sent.subList(REQUESTS - ROLLING_RESTART_REQUESTS, REQUESTS);

        // Answers slow enough that every kill finds calls in flight.
        try (Stage stage = Stage.set(KafkaBroker.bootstrapServers(), (short) 1, dir, "chaos-crashes",
                SimulatorBehaviour.wellBehaved().withLatency(300),
                "provider:\n  max-in-flight: 64\nshutdown:\n  drain-timeout: 30s\n")) {
            ProviderSimulator simulator = stage.simulator;
            String bootstrap = stage.bootstrap;
            TopicNames names = stage.names;
            Deployment deployment = stage.deployment;
            Map<String, CompletableFuture<WorkerProcess>> instances = new HashMap<>();
            Map<String, Integer> runs = new ConcurrentHashMap<>();
            try (Outputs out = new Outputs(bootstrap, names)) {
                for (String instance : List.of("a", "b")) {
                    instances.put(instance, CompletableFuture.supplyAsync(() -> start(deployment, instance, runs)));
                }
                instances.values().forEach(CompletableFuture::join);

                // Three kills at random moments while requests arrive, each instance started again after a while,
                // in the background: the next kill may come while it is still starting.
                List<Integer> inFlightAtKills = new ArrayList<>();
                try (Feeder feeder = stage.feedOnceServing(withKills, WARM_UP, REQUESTS_PER_SECOND, out)) {
                    log.say("both instances serving, calls flowing");
                    for (int kill = 0; kill < KILLS; kill++) {
                        Thread.sleep(random.nextInt(4_000));
                        String victim = victim(instances, random);
                        int atTheProvider = simulator.callsInFlight();
                        inFlightAtKills.add(killWithCallsInFlight(instances.remove(victim).join(), stage));
                        log.say("killed %s after %d requests sent, %d calls in flight (%d at the provider, from both"
                                + " instances)", victim, WARM_UP + feeder.handedOver(), inFlightAtKills.get(kill),
                                atTheProvider);
                        Thread.sleep(random.nextInt(3_000));
                        instances.put(victim, CompletableFuture.supplyAsync(() -> start(deployment, victim, runs)));
                    }
                    instances.values().forEach(CompletableFuture::join);
                    log.say("both instances serving again after %d requests sent", WARM_UP + feeder.handedOver());
                    feeder.awaitSent(Duration.ofMinutes(2));
                }
                out.awaitEvery(withKills, Duration.ofMinutes(3));
                for (WorkerProcess instance : running(instances)) {
                    log.say("instance %s after the kills: %.0f rebalances, %.0f calls resumed",
                            instance.instance(), instance.metric("facecheck_streams_rebalances_total"),
                            instance.metric("facecheck_calls_resumed_total"));
                }

                // A rolling restart: each instance stopped with SIGTERM while calls are in flight, and started again.
                log.say("every request before the rolling restart decided");
                long callsBefore = simulator.calls();
                try (Feeder feeder = Feeder.start(bootstrap, names.requests(), withRestart, REQUESTS_PER_SECOND)) {
                    for (String instance : List.of("a", "b")) {
                        awaitCallsInFlight(simulator);
                        WorkerProcess stopping = instances.remove(instance).join();
                        assertThat(stopping.stop()).as("exit code of a stopped instance: %s", stopping.log()).isZero();
                        instances.put(instance, CompletableFuture.completedFuture(start(deployment, instance, runs)));
                    }
                    feeder.awaitSent(Duration.ofMinutes(2));
                }
                out.awaitEvery(sent, Duration.ofMinutes(3));

                Promises.Report report = Promises.check(sent, out, simulator, Set.of());
                long killRepeats = Promises.extraCalls(withKills, out, simulator);
                long restartRepeats = Promises.extraCalls(withRestart, out, simulator);
                log.say("%s; calls in flight at the kills %s; repeated by the kills %d, by"
                        + " the rolling restart %d (%d calls in it)", report.summary(), inFlightAtKills,
                        killRepeats, restartRepeats, simulator.calls() - callsBefore);
                report.assertKept();
                assertThat(report.deadLetters()).as("the person the provider always fails").isEqualTo(1);
                assertThat(killRepeats).as("calls repeated after the kills, against the calls in flight at them %s",
                        inFlightAtKills).isLessThanOrEqualTo(inFlightAtKills.stream().mapToLong(i -> i).sum());
                assertThat(restartRepeats).as("calls repeated through the rolling restart").isZero();
                assertThat(sent).filteredOn(s -> s.kind() == Kind.BURST).isNotEmpty();
            } finally {
                instances.values().forEach(instance -> instance.thenAccept(WorkerProcess::close)
                        .exceptionally(failedToStart -> null).join());
            }
        }
    }

    /** A random instance among those serving; while both are starting, the one that will serve first. */
    private static String victim(Map<String, CompletableFuture<WorkerProcess>> instances, Random random) {
        List<String> serving = instances.entrySet().stream().filter(e -> e.getValue().isDone()).map(Map.Entry::getKey)
                .sorted().toList();
        if (serving.isEmpty()) {
            CompletableFuture.anyOf(instances.values().toArray(CompletableFuture[]::new)).join();
            return victim(instances, random);
        }
        return serving.get(random.nextInt(serving.size()));
    }

    private static List<WorkerProcess> running(Map<String, CompletableFuture<WorkerProcess>> instances) {
        return instances.values().stream().map(CompletableFuture::join).toList();
    }

    /**
     * Starts the instance again, as its StatefulSet would: same state folder, same static membership. It comes back
     * well within the session timeout (45 s), so its tasks wait for it instead of moving to the other instance and
     * back, which would repeat the calls in flight there.
     */
    private static WorkerProcess start(Deployment deployment, String instance, Map<String, Integer> runs) {
        int run = runs.merge(instance, 1, Integer::sum);
        try {
            return WorkerProcess.start(deployment, instance, "run" + run);
        } catch (Exception e) {
            throw new IllegalStateException("instance " + instance + " did not start", e);
        }
    }


    /**
     * Kills the instance and tells how many of its calls were in flight, from the worker's side: started, and their
     * outcome not yet committed. An answer that arrived but waits for the next commit is lost with the process as
     * surely as a call still out, and is asked for again.
     */
    private static int killWithCallsInFlight(WorkerProcess victim, Stage stage) throws Exception {
        Stage.Exposure exposure = stage.exposureOf(victim);
        victim.kill();
        Thread.sleep(100); // a request the process wrote just before it died may still arrive
        return (int) exposure.total();
    }

    private static void awaitCallsInFlight(ProviderSimulator simulator) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (simulator.callsInFlight() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
