package com.facecheck.cli;

import com.facecheck.contract.JsonLines;
import com.facecheck.contract.RequestParser;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.ops.RequestProducer;
import com.facecheck.topology.TopicNames;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.RecordTooLargeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Produces a file of requests to the request topic, for upstream teams trying the worker out. A file with a line
 * that cannot be a request is refused whole, so that a fixed file can be sent again without sending half of it
 * twice.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Produce requests (JSON lines, as 'validate' reads them) to the request topic, one record a"
                + " line, unkeyed, and print how many were sent.",
                "A line that is not a request at all (not UTF-8, not a JSON object, a field of the wrong type: what the"
                        + " worker would put on the poison dead letters) is reported by its line number and nothing is"
                        + " sent. Exits 2 for such a file, a missing file or a folder."})
final class SendCommand implements Callable<Integer> {

    /** How many further refused lines the error names before it only counts them. */
    private static final int NAMED_LINES = 10;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "requests as JSON lines; '-' reads stdin")
    private String input;

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "the topic to send to (default: the worker's request topic, facecheck.requests)")
    private String topic;

    @Override
    public Integer call() {
        List<JsonLines.Line> lines = JsonLinesInput.read(input);
        if (lines.isEmpty()) {
            throw new CliError(input + " holds no requests: give one JSON request per line");
        }
        refuseWhatIsNoRequest(lines);
        String destination = topic == null ? TopicNames.defaults().requests() : topic;
        KafkaLogs.quiet();
        kafka.requireTopics(List.of(destination));
        SortedMap<Integer, Exception> failed = kafka.withSettings(() -> RequestProducer.send(kafka.properties(),
                destination, lines.stream().map(JsonLines.Line::bytes).toList()));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Sent %d of %d requests to %s.%n", lines.size() - failed.size(), lines.size(), destination);
        if (failed.isEmpty()) {
            return 0;
        }
        int line = lines.get(failed.firstKey()).number();
        Exception reason = failed.get(failed.firstKey());
        String others = failed.size() == 1 ? "" : " (and " + (failed.size() - 1) + " more lines)";
        if (reason instanceof RecordTooLargeException) {
            throw new CliError(input + " line " + line + " is larger than Kafka takes" + others + ": "
                    + reason.getMessage() + " Send large photos by imageUrl instead of base64");
        }
        throw new IllegalStateException(input + " line " + line + " was not sent" + others + ": " + reason.getMessage());
    }

    /**
     * The worker's own parser decides, so that what is refused here is exactly what would end on the poison dead
     * letters; its messages never quote the input.
     */
    private void refuseWhatIsNoRequest(List<JsonLines.Line> lines) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key); // only the structure is judged; the ids the key derives are not used
        RequestParser parser = new RequestParser(new KeyedHasher(key));
        Map<Integer, String> refused = new LinkedHashMap<>();
        for (JsonLines.Line line : lines) {
            try {
                parser.parse(line.bytes());
            } catch (RequestParser.NotARequestException e) {
                refused.put(line.number(), e.getMessage());
            }
        }
        if (refused.isEmpty()) {
            return;
        }
        List<Integer> numbers = List.copyOf(refused.keySet());
        List<Integer> named = numbers.subList(1, Math.min(numbers.size(), 1 + NAMED_LINES));
        int unnamed = numbers.size() - 1 - named.size();
        throw new CliError(input + " line " + numbers.get(0) + " is not a request: " + refused.get(numbers.get(0))
                + (named.isEmpty() ? "" : "; nor " + (named.size() == 1 ? "is line " : "are lines ")
                + named.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + (unnamed == 0 ? "" : " and " + unnamed + " more"))
                + ". Nothing was sent: fix the file ('./facecheck validate FILE' checks it) and send it again");
    }
}
