package com.facecheck.testing;

import com.facecheck.contract.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import com.facecheck.topology.TopicNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The contracts' JSON Schemas in {@code docs/schemas}, the one place they live (the AsyncAPI document and the contract
 * page refer to them there), held against documented examples and the records a real worker writes.
 */
public final class ContractSchemas {

    public static final Path DIR = Path.of("docs", "schemas");
    private static final String BASE = DIR.toAbsolutePath().toUri().toString();
    /** The schemas refer to each other by relative paths: those are read from the folder, nothing from anywhere else. */
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            registry -> registry.schemaLoader(loader -> loader.resourceLoaders(loaders -> loaders.resources(iri ->
                    iri.startsWith(BASE) ? read(Path.of(URI.create(iri))) : null))));

    private ContractSchemas() {
    }

    /** The file of schema {@code name} ({@code result} is {@code docs/schemas/result.schema.json}). */
    public static Path file(String name) {
        return DIR.resolve(name + ".schema.json");
    }

    /**
     * What is wrong with {@code instance} under schema {@code name}, one line each; empty when it is valid. Formats
     * (date-time, date) are asserted, not only annotated: the contract says what the text must look like.
     */
    public static List<String> problems(String name, JsonNode instance) {
        return REGISTRY.getSchema(SchemaLocation.of(BASE + name + ".schema.json"))
                .validate(instance, context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)))
                .stream().map(Error::toString).toList();
    }

    /**
     * What is wrong with the records a worker wrote, under the schemas of their topics: every result, every audit
     * record, every retryable dead letter's value, and the headers of every dead letter (a poison one's value is ciphertext, not JSON). One
     * line per problem, naming the record by topic, partition and offset; empty when every record conforms.
     */
    public static List<String> problems(List<ConsumerRecord<String, byte[]>> records, TopicNames names) {
        List<String> problems = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String where = record.topic() + "-" + record.partition() + "@" + record.offset() + ": ";
            List<String> found = new ArrayList<>();
            if (names.results().containsValue(record.topic())) {
                found.addAll(problems("result", json(record.value())));
            }
            if (record.topic().equals(names.retryableDeadLetters())) {
                found.addAll(problems("dead-letter", json(record.value())));
            }
            if (record.topic().equals(names.audit())) {
                found.addAll(problems("audit", json(record.value())));
            }
            if (record.topic().equals(names.retryableDeadLetters()) || record.topic().equals(names.poisonDeadLetters())) {
                found.addAll(problems("dead-letter-headers", headers(record.headers())));
            }
            found.forEach(problem -> problems.add(where + problem));
        }
        return problems;
    }

    /** A record's value read as JSON. */
    public static JsonNode json(byte[] value) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema {@code name} itself, as JSON. */
    public static JsonNode schema(String name) {
        try {
            return Json.MAPPER.readTree(read(file(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Record headers as the header schema sees them: an object of name → UTF-8 text.
     *
     * @throws IllegalArgumentException when a header comes twice, which the object could not show
     */
    public static ObjectNode headers(Headers headers) {
        ObjectNode object = Json.MAPPER.createObjectNode();
        for (Header header : headers) {
            if (object.has(header.key())) {
                throw new IllegalArgumentException("header " + header.key() + " comes twice");
            }
            object.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return object;
    }
}
