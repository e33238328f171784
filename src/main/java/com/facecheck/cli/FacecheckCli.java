package com.facecheck.cli;

import com.facecheck.app.BuildVersion;
import com.facecheck.app.ConfigException;
import com.facecheck.crypto.Keyset;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code facecheck} command and its subcommands. */
@Command(name = "facecheck", mixinStandardHelpOptions = true, versionProvider = FacecheckCli.Version.class,
        description = "Three-factor identity verification (name + ID number + face photo) on Kafka Streams.",
        subcommands = {RunCommand.class, ConfigCommand.class, ValidateCommand.class, TopicsCommand.class,
                SendCommand.class, ResultsCommand.class, DlqCommand.class, ReplayCommand.class, KeysCommand.class,
                ResetCommand.class})
public final class FacecheckCli implements Runnable {

    /**
     * The local stack's commands and the bench, named rather than listed in {@code subcommands}: the production
     * image's jar (facecheck-streams-worker.jar) leaves them out with the embedded broker and the simulator they start, and a
     * class named in the annotation would fail every command there. Each is registered when its class is present.
     */
    private static final List<String> LOCAL_STACK_COMMANDS = List.of(
            "com.facecheck.cli.DemoCommand", "com.facecheck.cli.SimulateCommand", "com.facecheck.cli.BrokerCommand",
            "com.facecheck.cli.BenchCommand");

    /** Exit code for a mistake in how the command was called. */
    public static final int USAGE = 2;
    /** Exit code for a run that started but did not finish its job. */
    public static final int FAILED = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The environment the commands read settings and credentials from: the process's, or a test's. */
    private final Map<String, String> environment;
    /** How commands that run until stopped learn they should stop: SIGTERM/SIGINT, or a test's hand. */
    private final Supplier<StopSignal> stops;

    private FacecheckCli(Map<String, String> environment, Supplier<StopSignal> stops) {
        this.environment = Map.copyOf(environment);
        this.stops = stops;
    }

    Map<String, String> environment() {
        return environment;
    }

    /** The keyset the environment gives ({@code FACECHECK_KEYSET} or its file); a wrong one is the user's to fix. */
    Optional<Keyset> keyset() {
        try {
            return Keyset.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
    }

    /** Listening from now on: take it before starting what the stop must close. */
    StopSignal stopSignal() {
        return stops.get();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, out, err, System.getenv());
    }

    /** As {@link #execute(String[], PrintWriter, PrintWriter)}, reading {@code environment} instead of the process's. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        return execute(args, out, err, environment, StopSignal::install);
    }

    /** As above, with stops coming from {@code stops} instead of the process's signals. */
    static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment,
                       Supplier<StopSignal> stops) {
        CommandLine cli = new CommandLine(new FacecheckCli(environment, stops));
        for (String name : LOCAL_STACK_COMMANDS) {
            localCommand(name).ifPresent(cli::addSubcommand);
        }
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, ignored) -> {
            String path = e.getCommandLine().getCommandSpec().qualifiedName();
            err.println(path + ": " + e.getMessage() + ". Run '" + path + " --help' for the options.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, ignored) -> {
            String path = commandLine.getCommandSpec().qualifiedName();
            if (e instanceof CliError || e instanceof ConfigException) {
                e.getMessage().lines().forEach(line -> err.println(path + ": " + line));
                return USAGE;
            }
            err.println(path + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return FAILED;
        });
        return cli.execute(args);
    }

    private static Optional<Class<?>> localCommand(String className) {
        try {
            return Optional.of(Class.forName(className));
        } catch (ClassNotFoundException absentFromThisJar) {
            return Optional.empty();
        }
    }

    /** The version the build wrote. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"facecheck-streams " + BuildVersion.current()};
        }
    }
}
