package com.facecheck.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.Keyset;
import com.facecheck.crypto.SealedRequest;
import com.facecheck.provider.Billing;
import com.facecheck.testing.ContractSchemas;
import com.facecheck.topology.DeadLetters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/schemas true: every documented example validates against the schema its block names, the schemas list
 * exactly the fields, codes and headers the code writes, and they refuse what the contracts refuse. Real records of a
 * run are held to them in EveryOutcomeThroughBrokerTest.
 */
class ContractSchemaTest {

    private static final Path CONTRACTS = Path.of("docs", "contracts.md");
    /** A fenced block whose info string ends with -example: its schema is the name before that. */
    private static final Pattern EXAMPLE = Pattern.compile("(?s)```json ([a-z-]+)-example\\n(.*?)```");

    @Test
    void everyDocumentedExampleValidatesAgainstTheSchemaItsBlockNames() throws Exception {
        Matcher block = EXAMPLE.matcher(Files.readString(CONTRACTS));
        Map<String, Integer> checked = new TreeMap<>();
        while (block.find()) {
            String schema = block.group(1);
            assertThat(ContractSchemas.file(schema)).as("the schema of a " + schema + "-example block").exists();
            JsonNode example = Json.MAPPER.readTree(block.group(2));
            assertThat(ContractSchemas.problems(schema, example)).as(schema + "-example " + example).isEmpty();
            checked.merge(schema, 1, Integer::sum);
        }
        assertThat(checked).containsEntry("request", 2).containsEntry("result", 1).containsEntry("dead-letter", 1);
    }

    @Test
    void theResultSchemaHasExactlyTheResultsFieldsCodesAndValues() {
        JsonNode schema = ContractSchemas.schema("result");
        assertThat(names(schema.path("properties"))).isEqualTo(components(VerificationResult.class));
        JsonNode defs = schema.path("$defs");
        assertThat(texts(defs.path("outcome").path("enum")))
                .isEqualTo(Arrays.stream(Outcome.values()).map(Outcome::outcomeName).toList());
        List<String> pairs = new ArrayList<>();
        defs.path("errorAndOutcome").path("anyOf").forEach(pair -> pairs.add(pair.path("properties").path("error")
                .path("const").asInt() + " " + pair.path("properties").path("outcome").path("const").asText()));
        assertThat(pairs).isEqualTo(Arrays.stream(Outcome.values()).map(o -> o.code() + " " + o.outcomeName()).toList());
        assertThat(texts(defs.path("billing").path("enum")))
                .isEqualTo(Arrays.stream(Billing.values()).map(Billing::label).toList());
        assertThat(texts(defs.path("decidedBy").path("enum")))
                .containsExactly(VerificationResult.DECIDED_LOCALLY, VerificationResult.DECIDED_BY_PROVIDER);
        assertThat(defs.path("requestId").path("maxLength").asInt()).isEqualTo(RequestParser.MAX_ID_CHARS);
        assertThat(ContractSchemas.schema("request").path("$defs").path("shortText").path("maxLength").asInt())
                .isEqualTo(RequestParser.MAX_ID_CHARS);
    }

    @Test
    void theAuditSchemaHasExactlyTheAuditRecordsFields() {
        assertThat(names(ContractSchemas.schema("audit").path("properties"))).isEqualTo(components(AuditRecord.class));
    }

    @Test
    void theDeadLetterSchemasHaveExactlyTheFieldsAndHeadersTheWorkerWrites() throws Exception {
        JsonNode schema = ContractSchemas.schema("dead-letter").path("properties");
        assertThat(names(schema)).isEqualTo(components(SealedRequest.class));
        assertThat(names(schema.path("masked").path("properties"))).isEqualTo(components(SealedRequest.Masked.class));
        assertThat(names(schema.path("sealed").path("properties"))).isEqualTo(components(SealedRequest.Sealed.class));

        List<String> constants = new ArrayList<>();
        for (var field : DeadLetters.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                constants.add((String) field.get(null));
            }
        }
        JsonNode headers = ContractSchemas.schema("dead-letter-headers");
        assertThat(names(headers.path("properties"))).isEqualTo(constants.stream().sorted().toList());
        assertThat(texts(headers.path("propertyNames").path("anyOf").get(0).path("enum")))
                .containsExactlyInAnyOrderElementsOf(constants);

        VerificationRequest request = new VerificationRequest("req-sealed", "李三", "35020319900101123X",
                "/9j/4AAQSkZJRgABAQAAAQABAAD", "https://photos.example.com/1.jpg", "consent-1", "onboarding",
                Json.MAPPER.readTree("{\"channel\":\"app\"}"));
        JsonNode sealed = Json.MAPPER.valueToTree(SealedRequest.seal(request, new FieldCipher(Keyset.generate())));
        assertThat(ContractSchemas.problems("dead-letter", sealed)).isEmpty();
        JsonNode idOnly = Json.MAPPER.valueToTree(SealedRequest.seal(request.idOnly(), new FieldCipher(Keyset.generate())));
        assertThat(ContractSchemas.problems("dead-letter", idOnly)).isEmpty();
    }

    @Test
    void theSchemasRefuseWhatTheContractsRefuse() throws Exception {
        ObjectNode result = (ObjectNode) example("result");
        assertRefused("result", without(result, "requestId"), "requestId");
        assertRefused("result", with(result, "outcome", "approved"), "outcome");
        assertRefused("result", with(result, "outcome", "failed"), "the outcome of another code");
        assertRefused("result", with(result, "idNumber", "35020319900101123X"), "an ID number in clear");
        assertRefused("result", with(result, "image", "/9j/4AAQ"), "a photo");
        assertRefused("result", with(result, "completedAt", "yesterday"), "a time that is none");
        assertRefused("result", result.deepCopy().put("error", 10), "code 10");

        ObjectNode deadLetter = (ObjectNode) example("dead-letter");
        assertRefused("dead-letter", without(deadLetter, "requestId"), "requestId");
        assertRefused("dead-letter", with(deadLetter, "idNumber", "35020319900101123X"), "an ID number in clear");
        ObjectNode rawMasked = deadLetter.deepCopy();
        ((ObjectNode) rawMasked.path("masked")).put("idNumber", "35020319900101123X");
        assertRefused("dead-letter", rawMasked, "an ID number in clear as its masked view");
        assertRefused("dead-letter", without(deadLetter, "sealed"), "a masked view without the envelope");

        ObjectNode headers = Json.MAPPER.createObjectNode().put(DeadLetters.REASON, "gateway HTTP 503")
                .put(DeadLetters.REASON_CODE, "provider-call-failed").put(DeadLetters.SOURCE_TOPIC, "facecheck.requests")
                .put(DeadLetters.SOURCE_PARTITION, "3").put(DeadLetters.SOURCE_OFFSET, "1207")
                .put(DeadLetters.FAILED_AT, "2026-11-28T10:05:00.118Z").put(DeadLetters.ATTEMPTS, "4")
                .put(DeadLetters.REPLAY_COUNT, "0").put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(ContractSchemas.problems("dead-letter-headers", headers)).isEmpty();
        assertRefused("dead-letter-headers", without(headers, DeadLetters.ATTEMPTS), "a retryable one without attempts");
        assertRefused("dead-letter-headers", with(headers, "facecheck.dlq.note", "x"), "a header of ours not listed");
        assertRefused("dead-letter-headers", with(headers, DeadLetters.REASON_CODE, "gave-up"), "an unknown reason code");
        assertRefused("dead-letter-headers", with(headers, DeadLetters.SOURCE_OFFSET, "-1"), "an offset that is none");
        assertRefused("dead-letter-headers", with(headers, DeadLetters.REASON_CODE, "internal-error"),
                "an internal error without its processor and exception");

        ObjectNode audit = Json.MAPPER.createObjectNode().put("requestId", "onboarding-7f3a9c")
                .put("personId", "1faf036ce5df910ac18f1ee3d36c831797a774c221ec57092ad0e125b5829a56").put("error", 0)
                .put("outcome", "verified").put("billing", "billed").put("attempts", 1).put("decidedBy", "provider")
                .put("receivedAt", "2026-11-28T10:00:00Z").put("completedAt", "2026-11-28T10:00:00.412Z")
                .put("workerVersion", "0.1.0").put("replayCount", 0);
        assertThat(ContractSchemas.problems("audit", audit)).isEmpty();
        assertRefused("audit", without(audit, "requestId"), "requestId");
        assertRefused("audit", with(audit, "name", "李三"), "a name");
        assertRefused("audit", with(audit, "outcome", "face-mismatch"), "the outcome of another code");
        assertRefused("audit", audit.deepCopy().put("replayCount", -1), "a negative replay count");

        ObjectNode request = (ObjectNode) Json.MAPPER.readTree(blocks("request").get(1));
        assertRefused("request", request.deepCopy().put("xm", 42), "a name that is no string");
        assertRefused("request", with(request, "requestId", "r".repeat(RequestParser.MAX_ID_CHARS + 1)), "a long id");
        assertRefused("request", without(request, "img"), "no photo");
        assertRefused("request", without(request, "sfz"), "no ID number");
        assertThat(ContractSchemas.problems("request", without(request, "requestId"))).as("an id is derived").isEmpty();
    }

    private static void assertRefused(String schema, JsonNode instance, String what) {
        assertThat(ContractSchemas.problems(schema, instance)).as(schema + " with " + what).isNotEmpty();
    }

    private static JsonNode example(String schema) throws Exception {
        return Json.MAPPER.readTree(blocks(schema).get(0));
    }

    private static List<String> blocks(String schema) throws Exception {
        Matcher block = EXAMPLE.matcher(Files.readString(CONTRACTS));
        List<String> found = new ArrayList<>();
        while (block.find()) {
            if (block.group(1).equals(schema)) {
                found.add(block.group(2));
            }
        }
        return found;
    }

    private static ObjectNode without(ObjectNode node, String field) {
        ObjectNode copy = node.deepCopy();
        copy.remove(field);
        return copy;
    }

    private static ObjectNode with(ObjectNode node, String field, String value) {
        return node.deepCopy().put(field, value);
    }

    private static List<String> names(JsonNode properties) {
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names.stream().sorted().toList();
    }

    private static List<String> components(Class<? extends Record> type) {
        return Stream.of(type.getRecordComponents()).map(RecordComponent::getName).sorted().toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(value -> texts.add(value.asText()));
        return texts;
    }
}
