package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Json;
import com.facecheck.testing.TestImages;
import com.fasterxml.jackson.databind.JsonNode;
import com.facecheck.testing.CliRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesOneVerdictPerRequestLineAndExitsZeroWhateverTheVerdicts() throws Exception {
        String image = TestImages.jpegBase64(320, 400);
        Path input = Files.write(dir.resolve("mixed.jsonl"), List.of(
                "{\"requestId\":\"ok\",\"name\":\"李三\",\"idNumber\":\"35020319900101123X\",\"image\":\"" + image
                        + "\",\"consentId\":\"c-1\"}",
                "{\"requestId\":\"legacy\",\"xm\":\"王芳\",\"sfz\":\"110101850512204\",\"img\":\"https://p.example.com/1.jpg\","
                        + "\"consentId\":\"c-2\"}",
                "",
                "{\"requestId\":\"bad-id\",\"name\":\"李三\",\"idNumber\":\"350203199001011230\",\"image\":\"" + image
                        + "\",\"consentId\":\"c-4\"}",
                "{\"requestId\":\"no-photo\",\"name\":\"李三\",\"idNumber\":\"35020319900101123X\",\"consentId\":\"c-5\"}",
                "not json"), StandardCharsets.UTF_8);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = FacecheckCli.execute(new String[] {"validate", input.toString()}, new PrintWriter(out, true),
                new PrintWriter(err, true));

        assertThat(code).isZero();
        List<JsonNode> verdicts = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            verdicts.add(Json.MAPPER.readTree(line));
        }
        assertThat(verdicts).extracting(v -> v.path("line").asInt() + " " + v.path("ok").asBoolean() + " "
                + v.path("reason").asText("-")).containsExactly("1 true -", "2 true -",
                "4 false id-number-bad-check-character", "5 false missing-image", "6 false not-a-request");
        JsonNode first = verdicts.get(0);
        // What a result shows by default, and nothing more of the person.
        assertThat(first.path("name").asText()).isEqualTo("李**");
        assertThat(first.path("personId").asText()).matches("[0-9a-f]{64}");
        assertThat(first.has("idNumber")).isFalse();
        assertThat(first.has("birthday")).isFalse();
        assertThat(first.has("sex")).isFalse();
        assertThat(first.has("region")).isFalse();
        assertThat(first.path("photo").path("bytesAfter").asInt()).isPositive();
        JsonNode legacy = verdicts.get(1);
        assertThat(legacy.path("idConvertedFrom15").asBoolean()).isTrue();
        assertThat(legacy.path("photo").path("source").asText()).isEqualTo("url");
        assertThat(verdicts.get(3).path("personId").asText()).as("a missing photo, the same person")
                .isEqualTo(first.path("personId").asText());
        assertThat(verdicts.get(2).has("personId")).as("no valid ID number").isFalse();
        assertThat(out.toString()).doesNotContain("35020319900101123X").doesNotContain("3502*****3X")
                .doesNotContain("李三").doesNotContain(image.substring(0, 40));
        assertThat(err.toString()).contains("validated 5 requests: 2 ok, 2 rejected, 1 not requests");
    }

    @Test
    void personFieldsChooseWhatIsPrintedAsResultsWouldShowIt() throws Exception {
        Path input = Files.write(dir.resolve("legacy.jsonl"), List.of(
                "{\"requestId\":\"legacy\",\"xm\":\"王芳\",\"sfz\":\"110101850512204\",\"img\":\"https://p.example.com/1.jpg\","
                        + "\"consentId\":\"c-1\"}"), StandardCharsets.UTF_8);

        JsonNode shown = validate(input, "--person-fields", "birthday,sex,region").get(0);

        assertThat(shown.path("birthday").asText()).isEqualTo("1985-05-12");
        assertThat(shown.path("sex").asText()).isEqualTo("女");
        assertThat(shown.path("region").asText()).contains("东城");
        assertThat(shown.has("idNumber")).isFalse();
        assertThat(shown.has("name")).as("not asked for").isFalse();
        assertThat(shown.path("personId").asText()).matches("[0-9a-f]{64}");
    }

    @Test
    void theMaskedIdNumberWithTheBirthdayIsRefusedSayingWhy() throws Exception {
        Path input = Files.write(dir.resolve("one.jsonl"), List.of("{\"requestId\":\"x\"}"), StandardCharsets.UTF_8);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = FacecheckCli.execute(new String[] {"validate", "--person-fields", "masked-id-number,birthday",
                input.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(code).isEqualTo(FacecheckCli.USAGE);
        assertThat(err.toString()).contains("--person-fields").contains("masked-id-number cannot go with birthday")
                .contains("handful of candidates");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aRequestWithoutConsentIsRejectedAsTheWorkerRejectsItUnlessToldConsentIsNotRequired() throws Exception {
        Path input = Files.write(dir.resolve("consent.jsonl"), List.of(
                "{\"requestId\":\"none\",\"name\":\"李三\",\"idNumber\":\"35020319900101123X\","
                        + "\"imageUrl\":\"https://p.example.com/1.jpg\"}",
                "{\"requestId\":\"given\",\"name\":\"李三\",\"idNumber\":\"35020319900101123X\","
                        + "\"imageUrl\":\"https://p.example.com/1.jpg\",\"consentId\":\"c-1\"}"), StandardCharsets.UTF_8);

        List<JsonNode> required = validate(input);
        assertThat(required).extracting(v -> v.path("requestId").asText() + " " + v.path("reason").asText("ok"))
                .containsExactly("none missing-consent", "given ok");
        assertThat(required.get(0).path("detail").asText()).contains("consentId").contains("requests.require-consent");
        assertThat(required.get(0).path("personId").asText()).isEqualTo(required.get(1).path("personId").asText());
        assertThat(validate(input, "--require-consent", "false")).extracting(v -> v.path("ok").asBoolean())
                .containsExactly(true, true);

        StringWriter err = new StringWriter();
        int code = FacecheckCli.execute(new String[] {"validate", "--require-consent", "maybe", input.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(FacecheckCli.USAGE);
        assertThat(err.toString()).contains("--require-consent").contains("maybe");
    }

    @Test
    void anUnreadableInputIsTheOnlyFailure() {
        StringWriter err = new StringWriter();
        int code = FacecheckCli.execute(new String[] {"validate", dir.resolve("missing.jsonl").toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(FacecheckCli.USAGE);
        assertThat(err.toString().strip()).contains("no such file").doesNotContain("\n");
    }

    @Test
    void aFileSavedInGbkGetsAVerdictPerLineNamingTheEncoding() throws Exception {
        List<JsonNode> verdicts = validate(realWorldCase("gbk-file.jsonl"));

        assertThat(verdicts).hasSize(2).allSatisfy(v -> {
            assertThat(v.path("ok").asBoolean()).isFalse();
            assertThat(v.path("reason").asText()).isEqualTo("not-a-request");
            assertThat(v.path("detail").asText()).contains("not UTF-8").contains("GBK");
        });
        assertThat(verdicts).extracting(v -> v.path("line").asInt()).containsExactly(1, 2);
    }

    @Test
    void oneGbkLineCostsThatLineAndTheLinesAroundItAreChecked() throws Exception {
        List<JsonNode> verdicts = validate(realWorldCase("one-gbk-line.jsonl"));

        assertThat(verdicts).extracting(v -> v.path("line").asInt() + " " + v.path("ok").asBoolean() + " "
                + v.path("requestId").asText("-")).containsExactly("1 true rw-utf8-before", "2 false -",
                "3 true rw-utf8-after");
        assertThat(verdicts.get(1).path("detail").asText()).contains("GBK").doesNotContain("张");
    }

    @Test
    void everyRealWorldCaseGetsTheVerdictExpectedOfIt() throws Exception {
        JsonNode expected = Json.MAPPER.readTree(getClass().getResourceAsStream("/cases/real-world/expected.json"));
        List<JsonNode> verdicts = validate(realWorldCase("requests.jsonl"), "--person-fields", "masked-name,region");

        assertThat(verdicts).extracting(v -> v.path("requestId").asText())
                .containsExactlyInAnyOrderElementsOf(() -> expected.fieldNames());
        for (JsonNode verdict : verdicts) {
            JsonNode want = expected.path(verdict.path("requestId").asText());
            assertThat(verdict.path("ok").asBoolean()).as("%s: %s", verdict.path("requestId"), verdict)
                    .isEqualTo(want.path("ok").asBoolean());
            if (want.has("sentNameStartsWith")) {
                assertThat(verdict.path("name").asText()).startsWith(want.path("sentNameStartsWith").asText());
            }
            if (want.has("regionContains")) {
                assertThat(verdict.path("region").asText()).contains(want.path("regionContains").asText());
            }
        }
    }

    @Test
    void aHashSecretTooShortToBeTheWorkersIsAUsageErrorNotRandomIds() throws Exception {
        Path input = Files.writeString(dir.resolve("one.jsonl"), "{\"requestId\":\"r1\"}\n");
        StringWriter err = new StringWriter();
        int code = FacecheckCli.execute(new String[] {"validate", input.toString()}, new PrintWriter(new StringWriter(),
                true), new PrintWriter(err, true), Map.of("FACECHECK_HASH_SECRET", "short"));

        assertThat(code).isEqualTo(FacecheckCli.USAGE);
        assertThat(err.toString().strip()).doesNotContain("\n").contains("FACECHECK_HASH_SECRET")
                .contains("shorter than 16 bytes").doesNotContain("short\"");
    }

    @Test
    void theHashSecretIsReadFromAFileAsTheWorkerReadsIt() throws Exception {
        Path input = Files.writeString(dir.resolve("one.jsonl"), "{\"requestId\":\"r1\",\"name\":\"李三\","
                + "\"idNumber\":\"35020319900101123X\"}\n");
        Path secret = Files.writeString(dir.resolve("hash-secret"), "validate-file-secret-0123456789\n");
        CliRun fromFile = CliRun.withEnvironment(Map.of("FACECHECK_HASH_SECRET_FILE", secret.toString()), "validate",
                input.toString());
        CliRun direct = CliRun.withEnvironment(Map.of("FACECHECK_HASH_SECRET", "validate-file-secret-0123456789"),
                "validate", input.toString());

        assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
        assertThat(fromFile.out()).as("the same personId as under the same secret given directly")
                .isEqualTo(direct.out()).contains("personId");
    }

    @Test
    void aFolderIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = FacecheckCli.execute(new String[] {"validate", dir.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(FacecheckCli.USAGE);
        assertThat(err.toString()).contains("is a folder");
    }

    private Path realWorldCase(String name) throws Exception {
        Path copy = dir.resolve(name);
        try (var in = getClass().getResourceAsStream("/cases/real-world/" + name)) {
            Files.copy(in, copy);
        }
        return copy;
    }

    private static List<JsonNode> validate(Path input, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("validate"));
        args.addAll(List.of(options));
        args.add(input.toString());
        StringWriter out = new StringWriter();
        int code = FacecheckCli.execute(args.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        assertThat(code).isZero();
        List<JsonNode> verdicts = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            verdicts.add(Json.MAPPER.readTree(line));
        }
        return verdicts;
    }
}
