package com.facecheck.cli;

import com.facecheck.app.WorkerConfig;
import com.facecheck.bench.Bench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Benchmarks the worker side by side with what users would pick instead; see docs/benchmarks.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the worker beside a synchronous Kafka Streams processor, a plain consumer and Flink"
                + " Async I/O: steady-state results/s, time to the first result, latency at half of the peak, CPU,"
                + " memory, Kafka bytes and provider calls per request. Starts its own broker and simulator.",
                "Quick mode (default) takes about 3 minutes; --full runs every scenario, three rounds of about half an"
                        + " hour each on two cores (--rounds 1 for the figures in docs/benchmarks.md)."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--full", description = "every scenario, 3 rounds, 30 s windows: the figures of docs/benchmarks.md")
    private boolean full;

    @Option(names = "--rounds", paramLabel = "N", description = "rounds (default: 1 quick, 3 full)")
    private Integer rounds;

    @Option(names = "--contenders", paramLabel = "LIST", defaultValue = "facecheck,synchronous,plain,flink",
            description = "which to run, comma-separated (default: ${DEFAULT-VALUE})")
    private String contenders;

    @Option(names = "--scenarios", paramLabel = "LIST", split = ",",
            description = "only these steady-state scenarios, by label (e.g. 200ms/256,0ms/256); default: all of the mode's")
    private List<String> scenarios = List.of();

    @Option(names = "--commit-interval-ms", paramLabel = "MS",
            description = "Kafka Streams' commit interval and Flink's checkpoint interval (default: the worker's, 20)")
    private Long commitIntervalMillis;

    @Option(names = "--profile", description = "record each contender with JFR (profile settings) beside its output")
    private boolean profile;

    @Option(names = "--flink-jar", paramLabel = "FILE",
            defaultValue = "${env:BENCH_FLINK_JAR:-bench/flink/target/facecheck-bench-flink.jar}",
            description = "the Flink contender's jar, built by ./mvnw -f bench/flink/pom.xml package"
                    + " (default: ${DEFAULT-VALUE})")
    private Path flinkJar;

    @Option(names = "--json", paramLabel = "FILE", description = "write every figure, the ratios and the targets here")
    private Path json;

    @Option(names = "--charts", paramLabel = "DIR", description = "draw throughput.png and latency.png here")
    private Path charts;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> chosen = Arrays.stream(contenders.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (rounds != null && rounds < 1) {
            throw new CliError("--rounds must be at least 1");
        }
        long commitMillis = commitIntervalMillis == null ? WorkerConfig.DEFAULT_COMMIT_INTERVAL.toMillis()
                : commitIntervalMillis;
        if (commitMillis < 1) {
            throw new CliError("--commit-interval-ms must be at least 1");
        }
        if (chosen.contains("flink") && !Files.isRegularFile(flinkJar)) {
            throw new CliError("the Flink contender's jar is not at " + flinkJar + ": build it with"
                    + " './mvnw -B -q -f bench/flink/pom.xml package', or leave flink out of --contenders");
        }
        KafkaLogs.quiet();
        try {
            Bench.run(full, rounds, chosen, commitMillis, profile, scenarios, flinkJar.toAbsolutePath(), json,
                    charts, out);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
        return 0;
    }
}
