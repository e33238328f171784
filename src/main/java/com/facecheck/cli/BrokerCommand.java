package com.facecheck.cli;

import com.facecheck.local.EmbeddedKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Runs the demo's single-node broker as a process of its own, so that broker, simulator and worker can run as
 * three processes on one machine without Docker.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Run a single-node Kafka broker (KRaft, broker and controller in one) on localhost until"
                + " Ctrl-C or SIGTERM, which stop it cleanly.",
                "Its data stays in --data-dir: a new folder is formatted, an existing one reused, so topics and"
                        + " records survive a restart. For trying things out on one machine: one node, no replicas,"
                        + " no security."})
final class BrokerCommand implements Callable<Integer> {

    @ParentCommand
    private FacecheckCli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "9092",
            description = "port for clients (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    private int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.facecheck/kafka",
            description = "where the broker keeps its data (default: ${DEFAULT-VALUE})")
    private Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new CliError("--port must be 0–65535, not " + port);
        }
        boolean reused = checkDataDir();
        KafkaLogs.quiet();
        PrintWriter out = spec.commandLine().getOut();
        try (EmbeddedKafka kafka = start()) {
            // Taken over once the broker runs, so that a start refused leaves the process's signals alone. A stop
            // during the seconds of start-up ends the process the JVM's way; Kafka recovers its logs next time.
            StopSignal stop = cli.stopSignal();
            out.println("Kafka broker ready at " + kafka.bootstrapServers() + " (data in " + dataDir
                    + (reused ? ", kept from the last run" : ", new") + "). Ctrl-C or SIGTERM stops it.");
            stop.await();
            out.println("Stopping the broker…");
        }
        out.println("Broker stopped.");
        return 0;
    }

    /** Whether the folder holds a broker's data from an earlier run; refuses a file, and a folder of other things. */
    private boolean checkDataDir() {
        if (EmbeddedKafka.holdsData(dataDir)) {
            return true;
        }
        if (!Files.exists(dataDir)) {
            return false;
        }
        if (!Files.isDirectory(dataDir)) {
            throw new CliError("--data-dir " + dataDir + " is a file: give a folder (a new one is created)");
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            if (entries.findAny().isPresent()) {
                throw new CliError("--data-dir " + dataDir + " holds other files and no broker's data: give an empty"
                        + " or new folder");
            }
        } catch (IOException e) {
            throw new CliError("--data-dir " + dataDir + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return false;
    }

    private EmbeddedKafka start() {
        try {
            return EmbeddedKafka.startAt(port, dataDir);
        } catch (EmbeddedKafka.PortTakenException e) {
            throw new CliError("--port " + port + " is taken: something listens there already (a broker started"
                    + " before?). Stop it, or give another --port");
        } catch (EmbeddedKafka.DataDirInUseException e) {
            throw new CliError("--data-dir " + dataDir + " is in use by a broker that is running: stop that one, or"
                    + " give another --data-dir");
        }
    }
}
