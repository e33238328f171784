package com.facecheck.chaos;

import com.facecheck.chaos.ChaosRequests.Sent;
import com.facecheck.chaos.WorkerProcess.Deployment;
import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.testing.TestTopics;
import com.facecheck.topology.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a scenario plays on: its own topics on a cluster, a provider simulator that takes the deployment's
 * credentials, and the deployment of the worker that calls it. Named after the scenario, so that scenarios sharing a
 * broker never read each other's records.
 */
final class Stage implements AutoCloseable {

    final String bootstrap;
    final TopicNames names;
    final ProviderSimulator simulator;
    final Deployment deployment;

    private Stage(String bootstrap, TopicNames names, ProviderSimulator simulator, Deployment deployment) {
        this.bootstrap = bootstrap;
        this.names = names;
        this.simulator = simulator;
        this.deployment = deployment;
    }

    /**
     * Creates the topics of {@code name} (4 partitions, {@code replicas} replicas), starts a simulator behaving as
     * {@code behaviour} and describes the deployment: its configuration file the topics plus {@code yaml}, and
     * {@code kafkaConfig}.
     */
    static Stage set(String bootstrap, short replicas, Path dir, String name, SimulatorBehaviour behaviour,
                     String yaml, String... kafkaConfig) throws Exception {
        TopicNames names = TestTopics.prefixed(name + ".");
        TopicSetup.createMissing(bootstrap, names, 4, replicas);
        ProviderSimulator simulator = ProviderSimulator.standalone(
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(Deployment.APP_CODE)));
        try {
            simulator.behaviour(behaviour);
            String url = "http://127.0.0.1:" + simulator.start(0);
            return new Stage(bootstrap, names, simulator, Deployment.of(dir, names, bootstrap, url, name, yaml,
                    kafkaConfig));
        } catch (Exception | Error e) {
            simulator.close();
            throw e;
        }
    }

    /**
     * Starts sending {@code requests}, {@code perSecond} a second, once the worker serves them: the first
     * {@code warmUp} go at once and each waits for its result, since the faults are to strike a worker that serves
     * requests, not one still starting (its first results can take half a minute on three brokers). Returns, with
     * the rest being sent, once 20 of them have reached the provider.
     */
    Feeder feedOnceServing(List<Sent> requests, int warmUp, double perSecond, Outputs out) throws Exception {
        List<Sent> first = requests.subList(0, warmUp);
        try (Feeder feeder = Feeder.start(bootstrap, names.requests(), first, 0)) {
            feeder.awaitSent(Duration.ofMinutes(1));
        }
        out.awaitEvery(first, Duration.ofMinutes(2));
        Feeder feeder = Feeder.start(bootstrap, names.requests(), requests.subList(warmUp, requests.size()),
                perSecond);
        try {
            awaitMoreCalls(20, Duration.ofMinutes(1));
            return feeder;
        } catch (Exception | Error e) {
            feeder.close();
            throw e;
        }
    }

    /**
     * The calls a failure striking {@code worker} now exposes, to be read once it has struck: those unsettled now
     * (started, their outcome not committed) and every call either the worker or another starts from now on. Its
     * repeats can be no more.
     */
    Exposure exposureOf(WorkerProcess worker) throws Exception {
        long callsBefore = simulator.calls(); // before the gauge: a call started in between counts twice, never not
        return new Exposure(simulator, callsBefore, (long) worker.metric("facecheck_calls_unsettled"));
    }

    /** See {@link #exposureOf}. */
    record Exposure(ProviderSimulator simulator, long callsBefore, long unsettled) {

        /** Calls started since the exposure was taken. */
        long started() {
            return simulator.calls() - callsBefore;
        }

        /** Unsettled then, and started since. */
        long total() {
            return unsettled + started();
        }
    }

    /**
     * Waits until the simulator has seen {@code more} calls beyond those it had seen when asked: the requests being
     * sent have made it through the topology, so that what breaks next strikes calls in flight.
     */
    void awaitMoreCalls(int more, Duration within) throws InterruptedException {
        long target = simulator.calls() + more;
        long deadline = System.nanoTime() + within.toNanos();
        while (simulator.calls() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(more + " more calls were not made within " + within);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        simulator.close();
    }
}
