package com.facecheck.cli;

import com.facecheck.app.HttpSurface;
import com.facecheck.app.LogFormat;
import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The production entry point: the worker against any Kafka cluster, until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the worker against a Kafka cluster until SIGTERM or Ctrl-C, then stop it and exit 0.",
                "Configuration: defaults < --config FILE < environment (FACECHECK_…, KAFKA_…) < options."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    private ConfigOptions options;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private FacecheckCli cli;

    @Override
    public Integer call() throws InterruptedException {
        try {
            LogFormat.forRun(cli.environment());
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
        WorkerConfig config = options.load(cli.environment()).workerConfig();
        StopSignal stop = cli.stopSignal(); // before the worker starts: a signal during start-up stops it too
        PrintWriter out = spec.commandLine().getOut();
        // Before the worker: liveness answers while topics are checked and state is restored.
        HttpSurface surface = new HttpSurface(config.http().port());
        int port;
        try {
            port = surface.start();
        } catch (IllegalStateException e) {
            throw new CliError("http.port: " + e.getMessage());
        }
        Worker worker;
        try {
            worker = Worker.start(config);
        } catch (IllegalStateException e) {
            surface.close();
            // Missing topics, an unreachable cluster: the worker's message says what to do.
            throw new CliError(e.getMessage());
        }
        surface.serve(worker);
        out.println("facecheck run: worker " + config.kafka().applicationId() + " running on "
                + config.topics().requests() + "; health and metrics on port " + port
                + "; stop it with SIGTERM or Ctrl-C");
        try {
            while (!stop.await(Duration.ofSeconds(1))) {
                if (worker.state() == KafkaStreams.State.ERROR || worker.state() == KafkaStreams.State.NOT_RUNNING) {
                    // Not left running: a worker that processes nothing must be restarted, not look alive.
                    spec.commandLine().getErr().println("facecheck run: the worker stopped by itself (Kafka Streams "
                            + worker.state() + "); see the log for the cause");
                    return FacecheckCli.FAILED;
                }
            }
        } finally {
            // Everything a stop does happens in close(): the drain of calls in flight, then the commit.
            worker.close();
            surface.close();
        }
        out.println("facecheck run: worker " + config.kafka().applicationId() + " stopped");
        return 0;
    }
}
