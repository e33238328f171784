package com.facecheck.cli;

import com.facecheck.app.OperationsConfig;
import com.facecheck.ops.ApplicationReset;
import java.io.Console;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Forgets everything the worker did, so that the next run processes the request topic from its start. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Reset the worker's application as Kafka's streams reset tool does: the request topic's offsets"
                + " back to its first records, the name-exchange topics' to their ends, the topics Kafka Streams created"
                + " (changelogs, repartition) deleted, and this machine's state folder deleted. Result and dead-letter"
                + " topics are left as they are.",
                "Refused while an instance of the application runs. Asks for the application id to be typed unless"
                        + " --yes is given; without a terminal and without --yes it changes nothing and exits 2.",
                "Takes the same configuration as run (file, environment, options); the provider and the secrets are"
                        + " not needed."})
final class ResetCommand implements Callable<Integer> {

    @Mixin
    private ConfigOptions options;

    @Option(names = "--yes", description = "reset without asking for confirmation")
    private boolean yes;

    @Option(names = "--dry-run", description = "print what a reset would change, and change nothing")
    private boolean dryRun;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private FacecheckCli cli;

    @Override
    public Integer call() throws InterruptedException {
        OperationsConfig config = options.load(cli.environment()).operations();
        KafkaOptions kafka = KafkaOptions.of(config.kafka());
        PrintWriter out = spec.commandLine().getOut();
        KafkaLogs.quiet();
        try (Admin admin = kafka.reachedAdmin()) {
            ApplicationReset.Plan plan = ApplicationReset.plan(admin, config);
            print(plan, kafka.bootstrapServers(), out);
            if (dryRun) {
                out.println("Dry run: nothing was changed.");
                return 0;
            }
            if (!yes && !confirmed(plan.applicationId())) {
                out.println("Not reset: nothing was changed.");
                return FacecheckCli.FAILED;
            }
            ApplicationReset.execute(admin, plan);
            out.println("Reset " + plan.applicationId() + ": the next run starts from the first request on "
                    + config.topics().requests() + ".");
            return 0;
        } catch (ApplicationReset.Refused e) {
            throw new CliError(e.getMessage() + " (nothing was changed)");
        } catch (UncheckedIOException e) {
            throw new CliError(e.getMessage());
        } catch (ExecutionException | TimeoutException e) {
            throw kafka.failure("reset the application", e);
        }
    }

    private static void print(ApplicationReset.Plan plan, String bootstrapServers, PrintWriter out) {
        out.println("Resetting " + plan.applicationId() + " at " + bootstrapServers + ":");
        if (!plan.toEarliest().isEmpty()) {
            out.println("  offsets of " + topics(plan.toEarliest().keySet()) + " back to the first record kept ("
                    + plan.toEarliest().size() + " partitions): every request still there is processed again");
        }
        if (!plan.toEnd().isEmpty()) {
            out.println("  offsets of " + topics(plan.toEnd().keySet()) + " to their ends (" + plan.toEnd().size()
                    + " partitions): the forgotten run's name claims are not counted again");
        }
        if (!plan.offsetsRemoved().isEmpty()) {
            out.println("  offsets removed for " + plan.offsetsRemoved().size() + " other partitions ("
                    + topics(plan.offsetsRemoved()) + ")");
        }
        plan.internalTopics().forEach(topic -> out.println("  topic deleted: " + topic));
        plan.stateDir().ifPresent(dir -> out.println("  state folder deleted: " + dir + " (this machine's; delete the"
                + " folder on any other machine that ran an instance, or run reset there too)"));
        out.println("Requests processed again are checked, called for and paid again: their deduplication, the 24-hour"
                + " caps' places and the daily budget's count are forgotten with the state.");
    }

    private static String topics(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::topic).distinct().collect(Collectors.joining(", "));
    }

    /** Asks on the terminal; without one (a script, CI) nothing is asked and nothing is changed. */
    private boolean confirmed(String applicationId) {
        Console terminal = terminal();
        if (terminal == null) {
            throw new CliError("no terminal to confirm the reset on: give --yes to reset without asking (nothing was"
                    + " changed)");
        }
        String typed = terminal.readLine("Type the application id (%s) to reset it: ", applicationId);
        return typed != null && typed.strip().equals(applicationId);
    }

    /** The console when it is a terminal: from Java 22 on there is a console without one too, told by isTerminal. */
    private static Console terminal() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console) ? console : null;
        } catch (NoSuchMethodException e) {
            return console; // before Java 22, a console is always a terminal
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
