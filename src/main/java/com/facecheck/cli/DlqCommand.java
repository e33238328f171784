package com.facecheck.cli;

import com.facecheck.app.OperationsConfig;
import com.facecheck.crypto.Keyset;
import com.facecheck.ops.DeadLetterReport;
import com.facecheck.topology.TopicNames;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What the dead-letter topics hold now, for the on-call engineer who wants to know before replaying. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Print what the dead-letter topics (retryable, poison, parked) hold now, committed records"
                + " only: per topic the count with the oldest and newest failure, the count by reason code, how often"
                + " they were replayed already, and the keys that sealed them; with --show N, N of each topic as"
                + " JSON lines, masked as 'results' shows them. It commits nothing and needs no keyset; with one"
                + " (FACECHECK_KEYSET or FACECHECK_KEYSET_FILE) it says whether the keyset holds each key a replay"
                + " needs."})
final class DlqCommand implements Callable<Integer> {

    @ParentCommand
    private FacecheckCli cli;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions worker;

    @Option(names = "--show", paramLabel = "N", defaultValue = "0",
            description = "print the first N dead letters of each topic, masked (default: ${DEFAULT-VALUE})")
    private int show;

    @Override
    public Integer call() {
        if (show < 0) {
            throw new CliError("--show must be 0 or more, not " + show);
        }
        OperationsConfig config = worker.load(cli.environment()).operations();
        KafkaOptions kafka = KafkaOptions.of(config.kafka());
        TopicNames names = config.topics();
        Optional<Keyset> keyset = cli.keyset();
        List<String> topics = List.of(names.retryableDeadLetters(), names.poisonDeadLetters(),
                names.parkedDeadLetters());
        KafkaLogs.quiet();
        kafka.requireTopics(topics);
        List<DeadLetterReport.TopicReport> reports = kafka.withSettings(() -> DeadLetterReport.read(
                kafka.properties(), names, topics, show));
        PrintWriter out = spec.commandLine().getOut();
        DeadLetterReport.lines(reports, keyset).forEach(out::println);
        out.flush();
        return 0;
    }
}
