package com.facecheck.cli;

import com.facecheck.app.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code facecheck} command and its subcommands. */
@Command(name = "facecheck", mixinStandardHelpOptions = true, versionProvider = FacecheckCli.Version.class,
        description = "Three-factor identity verification (name + ID number + face photo) on Kafka Streams.",
        subcommands = {DemoCommand.class, RunCommand.class, ConfigCommand.class, ValidateCommand.class,
                SimulateCommand.class, CommandLine.HelpCommand.class})
public final class FacecheckCli implements Runnable {

    /** Exit code for a mistake in how the command was called. */
    public static final int USAGE = 2;
    /** Exit code for a run that started but did not finish its job. */
    public static final int FAILED = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(CommandLine.defaultFactory(), args, out, err);
    }

    /** The same, with the commands made by {@code factory}: how tests give a command its environment. */
    static int execute(CommandLine.IFactory factory, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new FacecheckCli(), factory);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, ignored) -> {
            String command = e.getCommandLine().getCommandName();
            String path = command.equals("facecheck") ? "facecheck" : "facecheck " + command;
            err.println(path + ": " + e.getMessage() + ". Run '" + path + " --help' for the options.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, ignored) -> {
            String path = "facecheck " + commandLine.getCommandName();
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

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FacecheckCli.class.getPackage().getImplementationVersion();
            return new String[] {"facecheck-streams " + (version == null ? "development" : version)};
        }
    }
}
