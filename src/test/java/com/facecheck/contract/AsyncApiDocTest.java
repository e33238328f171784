package com.facecheck.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.apicurio.datamodels.Library;
import io.apicurio.datamodels.models.Document;
import io.apicurio.datamodels.util.ModelTypeUtil;
import io.apicurio.datamodels.validation.ValidationProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps docs/asyncapi.yaml true: an AsyncAPI 3 document naming every topic of the registry, whose references resolve. */
class AsyncApiDocTest {

    private static final Path DOC = Path.of("docs", "asyncapi.yaml");

    @Test
    void itIsAValidAsyncApi3Document() throws Exception {
        JsonNode doc = read();
        assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");
        Document model = Library.readDocument((ObjectNode) doc);
        assertThat(ModelTypeUtil.isAsyncApi3Model(model)).isTrue();
        List<String> problems = Library.validate(model, null).stream().map(AsyncApiDocTest::line).toList();
        assertThat(problems).isEmpty();
    }

    @Test
    void everyTopicOfTheRegistryIsAChannelAndEveryChannelATopic() throws Exception {
        List<String> addresses = new ArrayList<>();
        read().path("channels").forEach(channel -> addresses.add(channel.path("address").asText()));
        assertThat(addresses).containsExactlyInAnyOrderElementsOf(TopicNames.defaults().all());
    }

    @Test
    void everyReferenceResolvesInThisDocumentOrInASchemaBesideIt() throws Exception {
        JsonNode doc = read();
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            int hash = ref.indexOf('#');
            String file = hash < 0 ? ref : ref.substring(0, hash);
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            JsonNode target = doc;
            if (!file.isEmpty()) {
                Path path = DOC.resolveSibling(file).normalize();
                assertThat(path).as(ref).isRegularFile();
                target = Json.MAPPER.readTree(Files.readString(path));
            }
            assertThat(target.at(JsonPointer.compile(pointer)).isMissingNode()).as(ref + " resolves").isFalse();
        }
        List<String> payloads = new ArrayList<>();
        doc.path("components").path("messages").forEach(message -> {
            if (!message.path("contentType").asText("application/json").equals("application/octet-stream")
                    && message.path("payload").has("schema")) {
                payloads.add(message.path("payload").path("schema").path("$ref").asText());
            }
        });
        assertThat(payloads).as("every JSON message of the contract has its schema")
                .contains("./schemas/request.schema.json", "./schemas/result.schema.json",
                        "./schemas/dead-letter.schema.json", "./schemas/audit.schema.json");
    }

    @Test
    void everyOperationUsesItsOwnChannelsMessages() throws Exception {
        JsonNode doc = read();
        doc.path("operations").fields().forEachRemaining(operation -> {
            String channel = operation.getValue().path("channel").path("$ref").asText();
            assertThat(channel).as(operation.getKey()).startsWith("#/channels/");
            operation.getValue().path("messages").forEach(message -> assertThat(message.path("$ref").asText())
                    .as(operation.getKey()).startsWith(channel + "/messages/"));
        });
        List<String> sent = new ArrayList<>();
        doc.path("operations").forEach(operation -> {
            if (operation.path("action").asText().equals("send")) {
                sent.add(doc.at(JsonPointer.compile(operation.path("channel").path("$ref").asText().substring(1)))
                        .path("address").asText());
            }
        });
        assertThat(sent).as("the worker writes every output").containsAll(TopicNames.defaults().outputs());
    }

    private static JsonNode read() throws Exception {
        return new YAMLMapper().readTree(Files.readString(DOC));
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static String line(ValidationProblem problem) {
        return problem.errorCode + " at " + problem.nodePath + ": " + problem.message;
    }
}
