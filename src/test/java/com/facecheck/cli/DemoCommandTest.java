package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Json;
import com.facecheck.contract.JsonLines;
import com.facecheck.contract.RequestParser;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.identity.ChinaCalendar;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.identity.PhotoCheck;
import com.facecheck.identity.RequestValidation;
import com.facecheck.testing.CliRun;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.Traffic;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void anUnknownOptionIsOneLineThatSaysWhereToLook() {
        CliRun run = CliRun.of("demo", "--frobnicate");
        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n").contains("--frobnicate").contains("facecheck demo --help");
    }

    @Test
    void aMissingRequestsFileIsOneLineAndNoStackTrace() {
        CliRun run = CliRun.of("demo", "--requests", dir.resolve("nope.jsonl").toString());
        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n").contains("no such file").doesNotContain("Exception");
    }

    @Test
    void anUnreachableProviderIsOneLineBeforeAnythingStarts() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CliRun run = CliRun.of("demo", "--provider-url", "http://127.0.0.1:" + closedPort);
        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n").contains("cannot reach the provider")
                .contains("--provider-url");
        assertThat(run.out()).doesNotContain("Starting");
    }

    @Test
    void aProviderUrlWithAPasswordIsRefusedWithoutPrintingIt() {
        CliRun run = CliRun.of("demo", "--provider-url", "https://alice:s3cret@api.example.cn");
        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n").startsWith("facecheck demo: --provider-url: ")
                .contains("user name or password").doesNotContain("s3cret");
        assertThat(run.out()).doesNotContain("Starting");
    }

    @Test
    void aNegativePriceIsRefused() {
        CliRun run = CliRun.of("demo", "--price-per-call", "-0.2");
        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err()).contains("--price-per-call cannot be negative");
    }

    @Test
    void foldersGivenForFilesAreRefusedBeforeAnythingRuns() {
        CliRun out = CliRun.of("demo", "--out", dir.toString());
        assertThat(out.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(out.err().strip()).doesNotContain("\n").contains("--out").contains("is a folder");
        assertThat(out.out()).doesNotContain("Starting");

        CliRun requests = CliRun.of("demo", "--requests", dir.toString());
        assertThat(requests.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(requests.err().strip()).doesNotContain("\n").contains("--requests").contains("is a folder");
    }

    @Test
    void versionIsTheOneThisBuildWasMadeAs() throws Exception {
        CliRun run = CliRun.of("--version");
        String pom = Files.readString(Path.of("pom.xml"));
        String version = pom.substring(pom.indexOf("<version>") + 9, pom.indexOf("</version>"));
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo("facecheck-streams " + version);
    }

    @Test
    void aBadPartitionCountIsRefused() {
        CliRun run = CliRun.of("demo", "--partitions", "0");
        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err()).contains("--partitions must be between 1 and 64");
    }

    @Test
    void theBundledSampleShowsOneRequestWithoutConsentAmongRequestsThatHaveOne() throws Exception {
        RequestParser parser = new RequestParser(new KeyedHasher("demo-sample-test-0123456789".getBytes(
                StandardCharsets.UTF_8)));
        RequestValidation validation = new RequestValidation(new PhotoCheck(), ChinaCalendar.clock(), true);
        List<String> withoutConsent = new ArrayList<>();
        int requests = 0;
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/requests.jsonl")) {
            for (JsonLines.Line line : JsonLines.read(in)) {
                VerificationRequest request;
                try {
                    request = parser.parse(line.bytes());
                } catch (RequestParser.NotARequestException e) {
                    continue; // the sample's poison lines
                }
                requests++;
                if (validation.validate(request) instanceof RequestValidation.Rejected rejected
                        && rejected.reason().equals(RequestValidation.MISSING_CONSENT)) {
                    withoutConsent.add(request.requestId());
                }
            }
        }
        assertThat(requests).isEqualTo(24);
        assertThat(withoutConsent).containsExactly("demo-26-missing-consent");
    }

    @Test
    void processesAFileItHasNeverSeenAndWritesEveryResultAndDeadLetter() throws Exception {
        String image = TestImages.jpegBase64(300, 360);
        List<String> lines = new ArrayList<>();
        lines.add(Traffic.request("f-1", "周杰", "330106199107079750", image));
        lines.add(Traffic.request("f-2", "孙丽", "420106198209188605", image));
        lines.add(Traffic.request("f-3", "周杰", "330106199107079750", null));
        lines.add("{\"requestId\":\"f-4\",\"name\":\"孙丽\",\"idNumber\":\"420106198209188605\",\"image\":\"" + image
                + "\"}"); // no consent: refused before anything else
        lines.add("");
        lines.add("garbage");
        Path requests = Files.write(dir.resolve("mine.jsonl"), lines, StandardCharsets.UTF_8);
        // One line saved in GBK, as Chinese Windows tools save text: it costs that line only.
        Files.write(requests, ("{\"requestId\":\"f-gbk\",\"name\":\"孙丽\",\"idNumber\":\"420106198209188605\"}\n")
                .getBytes(Charset.forName("GBK")), StandardOpenOption.APPEND);
        Path out = dir.resolve("out.jsonl");

        CliRun run = CliRun.of("demo", "--requests", requests.toString(), "--out", out.toString(), "--partitions", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("6/6 requests finished").contains("facecheck.result.verified")
                .doesNotContain("330106199107079750").doesNotContain("周杰");
        assertThat(run.out()).as("the summary adds up")
                .contains("6 requests sent = 4 with a result (2 decided locally, without a call) + 2 poison + 0"
                        + " duplicates dropped")
                .containsPattern("facecheck\\.audit +4\n")
                .contains("Without the person's consent (no consentId; result 7 missing-consent, no call): 1.")
                .contains("Audit trail: 4 records on facecheck.audit, one per result (the person by personId only).")
                .doesNotContain("do not add up")
                .contains("1 of the results are failures a replay could fix: each also has its request on"
                        + " facecheck.dlq.retryable")
                .contains("Result 8 from our own 24-hour caps (no call): 0; from the provider (its limit, after a"
                        + " call): 0.");
        // f-1's verdict is the one billed call; f-2's provider errors come with HTTP 666, not billed.
        assertThat(run.out()).containsPattern("Provider calls: 1 billed, [1-9]\\d* not billed, 0 of unknown billing")
                .contains("Estimated spend: CNY 0.20 = 1 billed × CNY 0.20.");
        List<JsonNode> written = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            written.add(Json.MAPPER.readTree(line));
        }
        assertThat(written).extracting(n -> n.path("topic").asText() + " " + n.path("key").asText(""))
                .containsExactlyInAnyOrder("facecheck.result.verified f-1", "facecheck.result.failed f-2",
                        "facecheck.dlq.retryable f-2", "facecheck.result.invalid-request f-3",
                        "facecheck.result.invalid-request f-4", "facecheck.dlq.poison ", "facecheck.dlq.poison ",
                        "facecheck.audit f-1", "facecheck.audit f-2", "facecheck.audit f-3", "facecheck.audit f-4");
        assertThat(written).filteredOn(n -> n.path("topic").asText().equals("facecheck.audit"))
                .extracting(n -> n.path("key").asText() + " " + n.path("value").path("reason").asText("-") + " "
                        + n.path("value").path("consentId").asText("-"))
                .containsExactlyInAnyOrder("f-1 - consent-f-1", "f-2 provider-call-failed consent-f-2",
                        "f-3 missing-image consent-f-3", "f-4 missing-consent -");
        JsonNode letter = written.stream().filter(n -> n.path("topic").asText().equals("facecheck.dlq.retryable"))
                .findFirst().orElseThrow();
        assertThat(letter.path("value").path("name").asText()).isEqualTo("孙**");
        assertThat(letter.path("value").path("idNumber").isNull()).as("shown as results show it: not by default")
                .isTrue();
        assertThat(letter.path("headers").path("facecheck.dlq.reason-code").asText()).isEqualTo("provider-call-failed");
        assertThat(written).filteredOn(n -> n.path("topic").asText().equals("facecheck.dlq.poison"))
                .extracting(n -> n.path("headers").path("facecheck.dlq.reason").asText())
                .anySatisfy(reason -> assertThat(reason).contains("not UTF-8").contains("GBK"));
        String all = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(all).doesNotContain("330106199107079750").doesNotContain("420106198209188605")
                .doesNotContain(image.substring(0, 40));
    }
}
