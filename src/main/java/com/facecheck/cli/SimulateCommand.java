package com.facecheck.cli;

import com.facecheck.provider.Credentials;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatedIdentity;
import com.facecheck.simulator.SimulatorBehaviour;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Runs the provider simulator on its own, for load tests and for a worker started elsewhere. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run the provider simulator (gateway + provider) until stopped.",
                "It accepts the credentials in FACECHECK_APPCODE, and FACECHECK_APPKEY/FACECHECK_APPSECRET for"
                        + " signature mode (each also as a file with _FILE).",
                "Answers as the provider does: verdicts (ok=1) with HTTP 200, billed; refusals (ok=0) with HTTP 666,"
                        + " not billed; gateway errors with their status and X-Ca-Error-* headers.",
                "Admin: GET /admin/counters, GET and PUT /admin/behaviour (latency, faults, limits, as JSON).",
                "Logs one line per call, the person masked."})
final class SimulateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private FacecheckCli cli;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8088", description = "port (default: ${DEFAULT-VALUE}; 0 picks one)")
    private int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    private String host;

    @Option(names = "--registry", paramLabel = "FILE",
            description = "synthetic identities as a JSON array (default: the bundled registry)")
    private Path registry;

    @Option(names = "--behaviour", paramLabel = "FILE",
            description = "initial behaviour as JSON: latencyMillis, tailRate, tailMillis, serverErrorRate, timeoutRate,"
                    + " resetRate, malformedRate, callsPerSecond, quota, perIdDaily, perNameDaily")
    private Path behaviourFile;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new CliError("--port must be 0–65535, not " + port);
        }
        List<SimulatedIdentity> identities;
        try {
            identities = registry == null ? ProviderSimulator.defaultIdentities() : ProviderSimulator.identitiesFrom(registry);
        } catch (IllegalArgumentException e) {
            throw new CliError("--registry " + e.getMessage() + ". Fix the file or leave the option out");
        }
        SimulatorBehaviour behaviour = behaviourFile == null ? SimulatorBehaviour.wellBehaved() : behaviour();
        ProviderSimulator.Accounts accounts = accounts(cli.environment());
        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx, accounts, identities)) {
            simulator.behaviour(behaviour);
            simulator.logCalls(true);
            int actual;
            try {
                actual = simulator.start(host, port);
            } catch (IllegalStateException e) {
                Throwable cause = e;
                while (cause.getCause() != null) {
                    cause = cause.getCause();
                }
                throw new CliError("cannot listen on " + host + ":" + port + " (" + cause.getMessage()
                        + "): pick another --port, or stop what holds it");
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Provider simulator on http://%s:%d/facecheck with %d synthetic identities; Ctrl-C stops it.%n",
                    host, actual, identities.size());
            cli.stopSignal().await();
        } finally {
            vertx.close();
        }
        return 0;
    }

    private SimulatorBehaviour behaviour() {
        String text;
        try {
            text = Files.readString(behaviourFile);
        } catch (IOException e) {
            throw new CliError("--behaviour " + behaviourFile + ": " + (Files.isDirectory(behaviourFile)
                    ? "is a folder" : Files.exists(behaviourFile) ? "cannot be read" : "no such file")
                    + "; give a JSON file of settings, or leave the option out");
        }
        if (text.isBlank()) {
            throw new CliError("--behaviour " + behaviourFile + " is empty; give a JSON object of settings such as"
                    + " {\"latencyMillis\": 200}, or leave the option out");
        }
        try {
            return SimulatorBehaviour.changed(SimulatorBehaviour.wellBehaved(), text);
        } catch (IllegalArgumentException e) {
            throw new CliError("--behaviour " + behaviourFile + ": " + e.getMessage());
        }
    }

    private static ProviderSimulator.Accounts accounts(Map<String, String> environment) {
        try {
            return ProviderSimulator.Accounts.accepting(Credentials.fromEnvironment(environment));
        } catch (IllegalArgumentException e) {
            throw new CliError("the simulator needs the credentials the worker will use: " + e.getMessage());
        }
    }
}
