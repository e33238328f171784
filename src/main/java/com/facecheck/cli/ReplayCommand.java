package com.facecheck.cli;

import com.facecheck.app.OperationsConfig;
import com.facecheck.crypto.Keyset;
import com.facecheck.ops.Replay;
import com.facecheck.ops.ReplayFilter;
import com.facecheck.provider.Credentials;
import com.facecheck.topology.DeadLetters;
import com.facecheck.topology.TopicNames;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Produces dead letters back to the request topic, each exactly once, for the on-call engineer after an outage. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Produce the dead letters again to the request topic, opened with the keyset"
                + " (FACECHECK_KEYSET or FACECHECK_KEYSET_FILE, which it requires), each with its"
                + " facecheck.dlq.replay-count one higher, so that the worker does not drop it as a duplicate."
                + " It reads the dead letters there are when it starts, then prints a summary and stops.",
                "Exactly once: what it produces and how far it has read are committed together, batch by batch, under"
                        + " the consumer group --group. Killed at any point and started again with the same --group, it"
                        + " goes on where it stopped and replays nothing twice.",
                "The group remembers how far it has read, not what it replayed: dead letters a filter (--reason,"
                        + " --since, --until, --request-id) skips are passed over, and the same group never offers"
                        + " them again. To replay part now and the rest later, give the later run another --group."
                        + " --limit is no filter: what it leaves is there for the next run.",
                "Run it with --dry-run first, and once the worker reaches the provider again (its health shows"
                        + " provider.circuit closed)."})
final class ReplayCommand implements Callable<Integer> {

    private static final int DEFAULT_SAMPLES = 3;

    @ParentCommand
    private FacecheckCli cli;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions worker;

    @Option(names = "--from", paramLabel = "TOPIC",
            description = "the dead letters to replay (default: the retryable ones, facecheck.dlq.retryable); the"
                    + " poison and the parked dead letters replay too, poison ones as the bytes they were")
    private String from;

    @Option(names = "--to", paramLabel = "TOPIC", description = "where they go (default: the request topic,"
            + " facecheck.requests)")
    private String to;

    @Option(names = "--group", paramLabel = "NAME", defaultValue = "facecheck-replay",
            description = "the consumer group that keeps the replay's progress (default: ${DEFAULT-VALUE}); its"
                    + " transactional id is NAME-TOPIC, TOPIC being --from")
    private String group;

    @Option(names = "--reason", paramLabel = "CODE", split = ",",
            description = "only dead letters with this reason code, e.g. provider-unavailable (repeatable)")
    private List<String> reasons = new ArrayList<>();

    @Option(names = "--since", paramLabel = "TIME", converter = TimeConverter.class,
            description = "only dead letters that failed at or after TIME: 2026-11-30T10:00:00+08:00, or how long"
                    + " ago, like 2h")
    private Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = TimeConverter.class,
            description = "only dead letters that failed before TIME")
    private Instant until;

    @Option(names = "--request-id", paramLabel = "ID", split = ",",
            description = "only the dead letters of these requests (repeatable); poison dead letters have no request"
                    + " id and never match")
    private List<String> requestIds = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N",
            description = "replay or park at most N dead letters, then stop; the rest stays for the next run")
    private Long limit;

    @Option(names = "--max-replays", paramLabel = "K",
            description = "a dead letter already replayed K times or more is moved to the parked dead letters"
                    + " (facecheck.dlq.parked) instead, for a person to look at")
    private Integer maxReplays;

    @Option(names = "--rate", paramLabel = "N",
            description = "at most N replays per second, so that a replay after an outage leaves the provider's rate"
                    + " limit to live traffic (default: as fast as Kafka takes them)")
    private Integer rate;

    @Option(names = "--dry-run", description = "produce nothing and commit nothing: print what a replay would do, by"
            + " reason, with the oldest and newest failure, and a few dead letters masked")
    private boolean dryRun;

    @Option(names = "--show", paramLabel = "N",
            description = "with --dry-run, how many dead letters to show, masked (default: " + DEFAULT_SAMPLES + ")")
    private Integer show;

    @Override
    public Integer call() {
        requireSensibleOptions();
        OperationsConfig config = worker.load(cli.environment()).operations();
        KafkaOptions kafka = KafkaOptions.of(config.kafka());
        TopicNames names = config.topics();
        Keyset keyset = keyset();
        Replay.Options options;
        try {
            options = new Replay.Options(from == null ? names.retryableDeadLetters() : from,
                    to == null ? names.requests() : to, names.parkedDeadLetters(), group,
                    new ReplayFilter(Set.copyOf(reasons), since, until, Set.copyOf(requestIds)),
                    limit == null ? 0 : limit, maxReplays == null ? 0 : maxReplays, rate == null ? 0 : rate, dryRun,
                    show == null ? DEFAULT_SAMPLES : show);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
        KafkaLogs.quiet();
        kafka.requireTopics(Stream.of(options.from(), options.to(), options.parked()).distinct().toList());
        StopSignal stop = cli.stopSignal();
        PrintWriter out = spec.commandLine().getOut();
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr());
        Replay.Progress progress = ProgressBar.onTerminal() ? bar : (done, soFar) -> { };
        Replay.Summary summary;
        try {
            summary = kafka.withSettings(() -> Replay.run(kafka.properties(), names, options, keyset, progress,
                    stop::requested));
        } catch (KafkaException e) {
            if (!fenced(e)) {
                throw e;
            }
            throw new CliError("another replay of " + options.from() + " under group " + group + " started and took"
                    + " over (this one's last batch was not committed, and it will replay it): let it finish, or stop"
                    + " it and run one replay at a time per group");
        } finally {
            bar.end();
        }
        summary.lines(options).forEach(out::println);
        out.flush();
        String missing = summary.missingKeysProblem(options);
        if (missing != null) {
            throw new CliError(missing);
        }
        return 0;
    }

    /** Whether another producer with this replay's transactional id took over, however the client wraps it. */
    private static boolean fenced(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private void requireSensibleOptions() {
        List<String> known = Stream.concat(DeadLetters.RETRYABLE_REASONS.stream(),
                DeadLetters.POISON_REASONS.stream()).toList();
        // A misspelt code would pass every dead letter over for good: refused instead.
        reasons.stream().filter(reason -> !known.contains(reason)).findFirst().ifPresent(reason -> {
            throw new CliError("--reason " + reason + " is no reason code of a dead letter: give one of "
                    + String.join(", ", known));
        });
        if (limit != null && limit < 1) {
            throw new CliError("--limit must be at least 1, not " + limit);
        }
        if (maxReplays != null && maxReplays < 1) {
            throw new CliError("--max-replays must be at least 1, not " + maxReplays);
        }
        if (rate != null && rate < 1) {
            throw new CliError("--rate must be at least 1 replay per second, not " + rate);
        }
        if (show != null && (!dryRun || show < 0)) {
            throw new CliError("--show N goes with --dry-run, N 0 or more: a replay itself shows no dead letter");
        }
        if (group.isBlank()) {
            throw new CliError("--group must name a consumer group");
        }
    }

    /** Replays open what the worker sealed: without its keyset there is nothing to produce. */
    private Keyset keyset() {
        return cli.keyset().orElseThrow(() -> new CliError("no keyset: a replay opens the sealed dead letters with"
                + " the keyset the worker sealed them with; set " + Keyset.ENV + Credentials.FILE_SUFFIX
                + " to its file (or " + Keyset.ENV + " to its content). './facecheck dlq' shows the dead letters"
                + " without it"));
    }
}
