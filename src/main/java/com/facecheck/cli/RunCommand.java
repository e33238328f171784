package com.facecheck.cli;

import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** The production entry point: the worker against any Kafka cluster, until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the worker against a Kafka cluster until SIGTERM or Ctrl-C, then stop it and exit 0.",
                "Configuration: defaults < --config FILE < environment (FACECHECK_…, KAFKA_…) < options."})
final class RunCommand implements Callable<Integer> {

    /** When the worker should stop. */
    interface StopSignal {

        /** Starts listening: before the worker starts, so that a signal during start-up stops it too. */
        void listen();

        void await() throws InterruptedException;
    }

    @Mixin
    private ConfigOptions options;

    @Spec
    private CommandSpec spec;

    private final Map<String, String> environment;
    private final StopSignal stop;

    RunCommand() {
        this(System.getenv(), new TerminationSignals());
    }

    RunCommand(Map<String, String> environment, StopSignal stop) {
        this.environment = environment;
        this.stop = stop;
    }

    @Override
    public Integer call() throws InterruptedException {
        WorkerConfig config = options.load(environment).workerConfig();
        stop.listen();
        PrintWriter out = spec.commandLine().getOut();
        Worker worker;
        try {
            worker = Worker.start(config);
        } catch (IllegalStateException e) {
            // Missing topics, an unreachable cluster: the worker's message says what to do.
            throw new CliError(e.getMessage());
        }
        out.println("facecheck run: worker " + config.kafka().applicationId() + " running on "
                + config.topics().requests() + "; stop it with SIGTERM or Ctrl-C");
        try {
            stop.await();
        } finally {
            // Everything a stop does happens in close(): it is the place for the drain of calls in flight.
            worker.close();
        }
        out.println("facecheck run: worker " + config.kafka().applicationId() + " stopped");
        return 0;
    }

    /**
     * SIGTERM (what Kubernetes and systemd send) and SIGINT (Ctrl-C), handled instead of left to the JVM: its
     * shutdown hooks would close the worker too, but the process would then exit with 143 rather than 0.
     */
    static final class TerminationSignals implements StopSignal {

        private final CountDownLatch received = new CountDownLatch(1);

        @Override
        public void listen() {
            for (String name : List.of("TERM", "INT")) {
                Signal.handle(new Signal(name), signal -> received.countDown());
            }
        }

        @Override
        public void await() throws InterruptedException {
            received.await();
        }
    }
}
