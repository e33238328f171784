package com.facecheck.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.Keyset;
import com.facecheck.crypto.SealedRequest;
import com.facecheck.identity.KeyedHasher;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps docs/contracts.md true: its examples must parse, and its tables must match the code. */
class ContractDocTest {

    private static final Path DOC = Path.of("docs", "contracts.md");
    private static final RequestParser PARSER =
            new RequestParser(new KeyedHasher("doc-test-secret-0123456789".getBytes(StandardCharsets.UTF_8)));

    @Test
    void requestExamplesAreRequests() throws Exception {
        List<String> examples = blocks("json request-example");
        assertThat(examples).hasSize(2);

        VerificationRequest full = PARSER.parse(examples.get(0).getBytes(StandardCharsets.UTF_8));
        assertThat(full.requestId()).isEqualTo("onboarding-7f3a9c");
        assertThat(full.name()).isEqualTo("李三");
        assertThat(full.image()).isNotBlank();
        assertThat(full.metadata().path("applicationId").asText()).isEqualTo("A-1001");

        VerificationRequest aliased = PARSER.parse(examples.get(1).getBytes(StandardCharsets.UTF_8));
        assertThat(aliased.name()).isEqualTo(full.name());
        assertThat(aliased.idNumber()).isEqualTo(full.idNumber());
        assertThat(aliased.image()).isNull();
        assertThat(aliased.imageUrl()).startsWith("https://");
    }

    @Test
    void theResultExampleIsExactlyWhatTheCodeWrites() throws Exception {
        String example = blocks("json result-example").get(0);
        VerificationResult result = Json.MAPPER.readValue(example, VerificationResult.class);
        JsonNode written = Json.MAPPER.valueToTree(result);
        assertThat(written).isEqualTo(Json.MAPPER.readTree(example));
        assertThat(result.outcomeEnum()).isEqualTo(Outcome.VERIFIED);
    }

    @Test
    void theAuditExampleIsExactlyWhatTheCodeWritesForTheResultExample() throws Exception {
        String example = blocks("json audit-example").get(0);
        AuditRecord audit = Json.MAPPER.readValue(example, AuditRecord.class);
        assertThat(Json.MAPPER.<JsonNode>valueToTree(audit)).isEqualTo(Json.MAPPER.readTree(example));

        VerificationResult result = Json.MAPPER.readValue(blocks("json result-example").get(0),
                VerificationResult.class);
        assertThat(audit).as("the audit record of the result shown above")
                .isEqualTo(AuditRecord.of(result, audit.workerVersion(), audit.replayCount()));
    }

    @Test
    void everyAuditFieldIsInTheAuditTableAndNoneOfThePersonsFieldsIs() throws Exception {
        String doc = Files.readString(DOC);
        String section = doc.substring(doc.indexOf("## `facecheck.audit`"), doc.indexOf("## Guarantees"));
        List<String> undocumented = Arrays.stream(AuditRecord.class.getRecordComponents()).map(c -> c.getName())
                .filter(name -> !section.contains("`" + name + "`")).toList();
        assertThat(undocumented).isEmpty();
        assertThat(Arrays.stream(AuditRecord.class.getRecordComponents()).map(c -> c.getName()))
                .doesNotContain("name", "idNumber", "image", "imageUrl", "birthday", "sex", "region", "metadata",
                        "message");
    }

    @Test
    void theDeadLetterExampleHasTheShapeTheWorkerWrites() throws Exception {
        JsonNode example = Json.MAPPER.readTree(blocks("json dead-letter-example").get(0));
        SealedRequest read = Json.MAPPER.treeToValue(example, SealedRequest.class);
        assertThat(Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(read))).isEqualTo(example);

        VerificationRequest whole = PARSER.parse(blocks("json request-example").get(0).getBytes(StandardCharsets.UTF_8));
        VerificationRequest withUrl = new VerificationRequest(whole.requestId(), whole.name(), whole.idNumber(),
                whole.image(), "https://photos.example.com/1.jpg", "consent-77", "onboarding", whole.metadata());
        JsonNode written = Json.MAPPER.valueToTree(SealedRequest.seal(withUrl, new FieldCipher(Keyset.generate())));
        assertThat(fieldNames(written)).isEqualTo(fieldNames(example));
        assertThat(written.path("masked").path("name").asText()).isEqualTo(example.path("masked").path("name").asText());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fields().forEachRemaining(field -> {
            names.add(field.getKey());
            if (field.getValue().isObject() && !field.getKey().equals("metadata")) {
                fieldNames(field.getValue()).forEach(inner -> names.add(field.getKey() + "." + inner));
            }
        });
        return names.stream().sorted().toList();
    }

    @Test
    void everyResultFieldIsDocumented() throws Exception {
        String doc = Files.readString(DOC);
        List<String> undocumented = Arrays.stream(VerificationResult.class.getRecordComponents())
                .map(c -> c.getName()).filter(name -> !doc.contains("`" + name + "`") && !doc.contains("\"" + name + "\""))
                .toList();
        assertThat(undocumented).isEmpty();
    }

    @Test
    void theCodeTableMatchesTheOutcomeEnum() throws Exception {
        Matcher row = Pattern.compile("(?m)^\\| (\\d) \\| ([a-z-]+) \\| ([a-z.-]+) \\|").matcher(Files.readString(DOC));
        List<String> documented = new ArrayList<>();
        while (row.find()) {
            documented.add(row.group(1) + " " + row.group(2) + " " + row.group(3));
        }
        List<String> code = Arrays.stream(Outcome.values())
                .map(o -> o.code() + " " + o.outcomeName() + " " + o.defaultTopic()).toList();
        assertThat(documented).isEqualTo(code);
    }

    @Test
    void theReasonTableListsExactlyTheReasonsTheChecksGive() throws Exception {
        String doc = Files.readString(DOC);
        String reasons = doc.substring(doc.indexOf("### Reasons"), doc.indexOf("###", doc.indexOf("### Reasons") + 4));
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\| [^|]+ \\| [^|]+ \\|$").matcher(reasons);
        java.util.Set<String> documented = new java.util.TreeSet<>();
        while (row.find()) {
            documented.add(row.group(1));
        }
        java.util.Set<String> inCode = new java.util.TreeSet<>();
        Pattern literal = Pattern.compile("\"((?:missing|name|id-number|image)-[a-z0-9-]+)\"");
        try (var files = Files.walk(Path.of("src", "main", "java", "com", "facecheck", "identity"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = literal.matcher(Files.readString(file));
                while (m.find()) {
                    inCode.add(m.group(1));
                }
            }
        }
        assertThat(documented).isEqualTo(inCode);
    }

    private static List<String> blocks(String infoString) throws Exception {
        Matcher block = Pattern.compile("(?s)```" + Pattern.quote(infoString) + "\\n(.*?)```").matcher(Files.readString(DOC));
        List<String> found = new ArrayList<>();
        while (block.find()) {
            found.add(block.group(1));
        }
        return found;
    }
}
