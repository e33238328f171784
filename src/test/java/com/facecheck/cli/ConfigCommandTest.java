package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {

    private static final String APP_CODE = "config-test-appcode-91be";

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {

        /** Lines with their runs of spaces as one, so that the alignment of comments does not matter. */
        List<String> outLines() {
            return out.lines().map(line -> line.strip().replaceAll(" +", " ")).toList();
        }
    }

    private static Run config(Map<String, String> environment, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "config";
        System.arraycopy(args, 0, all, 1, args.length);
        CliRun run = CliRun.withEnvironment(environment, all);
        return new Run(run.exitCode(), run.out(), run.err());
    }

    @Test
    void printsEveryValueWithItsSourceAndOnlyWhetherEachSecretIsSet() throws Exception {
        Path file = Files.writeString(dir.resolve("facecheck.yaml"), "caps:\n  per-name: 30\n");
        Run run = config(Map.of("FACECHECK_APPCODE", APP_CODE, "FACECHECK_CAPS_PER_ID", "8",
                        "FACECHECK_PROVIDER_URL", "https://api.example.cn",
                        "KAFKA_SASL_JAAS_CONFIG", "ScramLoginModule required username=\"u\" password=\"env-kafka-pw\";"),
                "--config", file.toString(), "--bootstrap-servers", "broker:9092", "--set", "dedup.window=36h",
                "--kafka-config", "security.protocol=SASL_SSL,sasl.mechanism=SCRAM-SHA-512");
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).doesNotContain(APP_CODE).doesNotContain("env-kafka-pw");
        assertThat(run.outLines()).contains(
                "bootstrap-servers: broker:9092 # flag --bootstrap-servers",
                "application-id: facecheck-streams # default",
                "sasl.jaas.config: \"[redacted]\" # environment KAFKA_SASL_JAAS_CONFIG",
                "security.protocol: SASL_SSL # flag --kafka-config",
                "sasl.mechanism: SCRAM-SHA-512 # flag --kafka-config",
                "url: https://api.example.cn # environment FACECHECK_PROVIDER_URL",
                "per-id: 8 # environment FACECHECK_CAPS_PER_ID",
                "per-name: 30 # file " + file,
                "window: 36h # flag --set",
                "# FACECHECK_APPCODE: [redacted], set by FACECHECK_APPCODE",
                "# FACECHECK_HASH_SECRET: not set",
                "# FACECHECK_KEYSET: not set");
    }

    @Test
    void aProblemIsOneLineAfterTheConfigurationAndExitsTwo() {
        Run run = config(Map.of(), "--bootstrap-servers", "broker:9092", "--provider-url", "https://api.example.cn",
                "--set", "caps.per-id=five", "--set", "provider.appcode=" + APP_CODE);
        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err().lines()).containsExactly(
                "facecheck config: provider.appcode (flag --set): a secret is never read from the command line (it would"
                        + " show in the process list): remove it, and set FACECHECK_APPCODE (or FACECHECK_APPCODE_FILE,"
                        + " naming a file that holds it) in the environment",
                "facecheck config: caps.per-id = five (flag --set): expected a whole number");
        assertThat(run.outLines()).contains("per-id: five # flag --set");
        assertThat(run.out() + run.err()).doesNotContain(APP_CODE);
    }
}
