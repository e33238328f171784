package com.facecheck.cli;

import com.facecheck.app.OperationsConfig;
import com.facecheck.contract.Json;
import com.facecheck.ops.TopicInventory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Shows every topic the worker uses as the cluster has it, and what is wrong: a check for operators and CI. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = {"Show every topic the worker uses (the configured ones, then those Kafka Streams creates for the"
                + " application): partitions, replication factor, retention, cleanup policy, the application's lag on"
                + " the topics it reads, and what each holds of a person.",
                "Problems (a missing topic, name-exchange topics whose partitions are not the request topic's, dead"
                        + " letters kept longer than --dead-letter-retention, a request topic kept for ever) are printed"
                        + " one line each on standard error, and the command exits 1; it exits 0 when there is none.",
                "Takes the same configuration as run (file, environment, options); the provider and the secrets are"
                        + " not needed."})
final class TopicsDescribeCommand implements Callable<Integer> {

    @Mixin
    private ConfigOptions options;

    @Option(names = "--dead-letter-retention", paramLabel = "DURATION",
            converter = TopicsCreateCommand.DurationConverter.class, defaultValue = "3d",
            description = "the longest the dead-letter topics may keep records, as topics create gives them"
                    + " (default: ${DEFAULT-VALUE})")
    private Duration deadLetterRetention;

    @Option(names = "--json", description = "print the topics as one JSON document instead of a table")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private TopicsCommand topics;

    @Override
    public Integer call() throws InterruptedException, JsonProcessingException {
        OperationsConfig config = options.load(topics.cli().environment()).operations();
        KafkaOptions kafka = KafkaOptions.of(config.kafka());
        KafkaLogs.quiet();
        TopicInventory.Inventory inventory;
        try (Admin admin = kafka.reachedAdmin()) {
            inventory = TopicInventory.read(admin, config, deadLetterRetention);
        } catch (ExecutionException | TimeoutException e) {
            throw kafka.failure("describe the topics", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(inventory));
        } else {
            table(inventory, out);
        }
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        inventory.problems().forEach(problem -> err.println(spec.qualifiedName() + ": " + problem));
        return inventory.problems().isEmpty() ? 0 : FacecheckCli.FAILED;
    }

    private static void table(TopicInventory.Inventory inventory, PrintWriter out) {
        int width = inventory.topics().stream().mapToInt(t -> t.name().length()).max().orElse(5);
        String row = "%-" + width + "s  %10s  %8s  %9s  %-14s  %6s  %s%n";
        out.printf(Locale.ROOT, row, "topic", "partitions", "replicas", "retention", "cleanup", "lag", "personal data");
        for (TopicInventory.TopicState topic : inventory.topics()) {
            if (!topic.exists()) {
                out.printf(Locale.ROOT, row, topic.name(), "-", "-", "-", topic.role().internal()
                        ? "(not yet)" : "(missing)", "-", topic.personalData());
                continue;
            }
            out.printf(Locale.ROOT, row, topic.name(), topic.partitions(), topic.replicationFactor(),
                    TopicInventory.duration(topic.retentionMs()), topic.cleanupPolicy(),
                    topic.lag() == null ? "-" : topic.lag(), topic.personalData());
        }
    }
}
