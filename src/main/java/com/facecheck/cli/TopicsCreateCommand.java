package com.facecheck.cli;

import com.facecheck.ops.TopicSetup;
import com.facecheck.topology.TopicNames;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Creates the topics the worker needs, so that {@code run} finds them; reports existing ones that differ. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create every topic the worker uses that does not exist yet: the request topic, a topic per"
                + " result code, the two dead-letter topics and the two name-exchange topics (with as many partitions"
                + " as the request topic, as the worker requires).",
                "Existing topics are never changed: one whose partitions or replication factor differ from what is"
                        + " asked is reported, one line each, and the command exits 2. Running it again is safe."})
final class TopicsCreateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
            description = "partitions of every topic; the request topic's count is the worker's parallelism"
                    + " (default: ${DEFAULT-VALUE})")
    private int partitions;

    @Option(names = "--replication-factor", paramLabel = "R",
            description = "replicas of every topic (default: the cluster's default.replication.factor; existing topics"
                    + " are then not compared)")
    private Short replicationFactor;

    @Option(names = "--retention", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long the request and result topics keep records, e.g. 7d, 12h, 30m (default: the"
                    + " cluster's log.retention); the name-exchange topics always keep the cluster's")
    private Duration retention;

    @Option(names = "--dead-letter-retention", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "3d", description = "how long the dead-letter topics keep records: they hold whole requests,"
                    + " photos included (default: ${DEFAULT-VALUE})")
    private Duration deadLetterRetention;

    @Override
    public Integer call() throws InterruptedException {
        if (partitions < 1) {
            throw new CliError("--partitions must be at least 1, not " + partitions);
        }
        if (replicationFactor != null && replicationFactor < 1) {
            throw new CliError("--replication-factor must be at least 1, not " + replicationFactor);
        }
        TopicNames names = TopicNames.defaults();
        TopicSetup.Plan plan = new TopicSetup.Plan(partitions, Optional.ofNullable(replicationFactor),
                Optional.ofNullable(retention), Optional.of(deadLetterRetention));
        KafkaLogs.quiet();
        TopicSetup.Report report;
        try (Admin admin = kafka.reachedAdmin()) {
            report = TopicSetup.create(admin, names, plan);
        } catch (ExecutionException | TimeoutException e) {
            throw kafka.failure("create topics", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        long created = report.topics().stream().filter(TopicSetup.TopicState::created).count();
        for (TopicSetup.TopicState topic : report.topics()) {
            out.printf(Locale.ROOT, "%-8s %-40s %d partitions, replication factor %d%n",
                    topic.created() ? "created" : "exists", topic.name(), topic.partitions(), topic.replicationFactor());
        }
        out.printf(Locale.ROOT, "%d topics created, %d there already.%n", created, report.topics().size() - created);
        PrintWriter err = spec.commandLine().getErr();
        report.mismatches().forEach(m -> err.println(spec.qualifiedName() + ": " + TopicSetup.explain(m, names)));
        return report.mismatches().isEmpty() ? 0 : FacecheckCli.USAGE;
    }

    /** {@code 3d}, {@code 12h}, {@code 30m}, {@code 90s}, {@code 500ms}, or ISO-8601 ({@code P3D}, {@code PT12H}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

        private static final Pattern SHORT = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");
        private static final Map<String, ChronoUnit> UNITS = Map.of("ms", ChronoUnit.MILLIS, "s", ChronoUnit.SECONDS,
                "m", ChronoUnit.MINUTES, "h", ChronoUnit.HOURS, "d", ChronoUnit.DAYS);

        @Override
        public Duration convert(String value) {
            Matcher m = SHORT.matcher(value.strip());
            Duration duration;
            try {
                duration = m.matches() ? Duration.of(Long.parseLong(m.group(1)), UNITS.get(m.group(2)))
                        : Duration.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is no duration: give one like 3d, 12h,"
                        + " 30m or 90s");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a positive duration");
            }
            return duration;
        }
    }
}
