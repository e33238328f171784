package com.facecheck.cli;

import com.facecheck.contract.Json;
import com.facecheck.contract.PersonFields;
import com.facecheck.ops.OutputLines;
import com.facecheck.ops.OutputReader;
import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Prints what the worker wrote, for downstream teams and for anyone watching a run. */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = {"Print the results and dead letters (committed records only) as JSON lines: topic, partition,"
                + " offset, key and value. Results as the worker wrote them; dead letters summarised, with the person"
                + " shown as results show them and the photo by its size only.",
                "Without --follow: everything there is, then stop. With --follow: what arrives from now on (everything"
                        + " first, with --from-beginning) until Ctrl-C or SIGTERM.",
                "With --audit: the audit trail instead, one record per decision, as the worker wrote it."})
final class ResultsCommand implements Callable<Integer> {

    @ParentCommand
    private FacecheckCli cli;

    private static final Duration POLL = Duration.ofMillis(200);

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--follow", description = "keep printing what arrives until stopped")
    private boolean follow;

    @Option(names = "--from-beginning",
            description = "with --follow, print what is there first (without --follow it always is)")
    private boolean fromBeginning;

    @Option(names = "--audit", description = "print the audit trail (facecheck.audit) instead of the results and dead"
            + " letters: one record per decision, the person by personId only; to export the records of processing")
    private boolean audit;

    @Override
    public Integer call() throws JsonProcessingException {
        TopicNames names = TopicNames.defaults();
        List<String> topics = audit ? List.of(names.audit()) : names.outputs();
        KafkaLogs.quiet();
        kafka.requireTopics(topics);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long printed = 0;
        try (OutputReader reader = kafka.withSettings(() -> new OutputReader(kafka.properties(), topics,
                fromBeginning || !follow))) {
            if (follow) {
                StopSignal stop = cli.stopSignal();
                err.println("Following " + topics.size() + " topics at " + kafka.bootstrapServers()
                        + "; Ctrl-C stops.");
                // A reader that went away (| head) ends it too: a print error is all a closed pipe says.
                while (!stop.requested() && !out.checkError()) {
                    printed += print(reader.poll(POLL), names, out);
                }
            } else {
                Map<TopicPartition, Long> ends = reader.ends();
                while (!reader.reached(ends)) {
                    printed += print(reader.poll(POLL), names, out);
                }
            }
        }
        err.println(printed + " records.");
        return 0;
    }

    private static int print(List<ConsumerRecord<String, byte[]>> records, TopicNames names, PrintWriter out)
            throws JsonProcessingException {
        for (ConsumerRecord<String, byte[]> r : records) {
            out.println(Json.MAPPER.writeValueAsString(OutputLines.line(r, names, PersonFields.DEFAULT)));
        }
        out.flush();
        return records.size();
    }
}
