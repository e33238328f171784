package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.crypto.Keyset;
import com.facecheck.provider.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps docs/configuration.md true: its table lists exactly the keys of the code, and its example loads. */
class ConfigurationDocTest {

    private static final Path DOC = Path.of("docs", "configuration.md");
    private static final String TABLE_HEADER = "| key | type | default | environment variable | meaning |";

    @TempDir
    Path dir;

    /** One row of the keys table, without the meaning. */
    private record Row(String key, String type, String defaultValue, String variable) {
    }

    @Test
    void theTableListsEveryKeyWithItsTypeDefaultAndVariable() throws IOException {
        List<Row> fromCode = ConfigKeys.all().stream().map(ConfigurationDocTest::row).toList();
        assertThat(documentedRows()).containsExactlyElementsOf(fromCode);
    }

    @Test
    void everyKeyHasAMeaning() throws IOException {
        assertThat(tableLines()).allSatisfy(line -> assertThat(cells(line).get(4)).as(line).hasSizeGreaterThan(10));
    }

    @Test
    void theExampleFileLoadsWithoutAProblem() throws IOException {
        Matcher example = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        assertThat(example.find()).isTrue();
        Path file = Files.writeString(dir.resolve("facecheck.yaml"), example.group(1));
        WorkerConfig config = ConfigLoader.load(new ConfigLoader.Sources(file, Map.of(Credentials.APPCODE_ENV, "code",
                Secrets.HASH_SECRET_ENV, "doc-test-hash-secret-0123456789", Keyset.ENV, Keyset.generate().toJson()),
                List.of())).workerConfig();
        assertThat(config.kafka().properties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.provider().retry().maxAttempts()).isEqualTo(3);
    }

    private static Row row(ConfigKeys.Key key) {
        if (key.isKafkaProperties()) {
            return new Row(key.path() + ".<name>", "Kafka property", "none", key.environmentVariable());
        }
        Object value = key.defaultValue();
        String shown = value != null ? key.kind().write().apply(value).asText() : key.required() ? "required" : "none";
        return new Row(key.path(), key.kind().name(), shown, key.environmentVariable());
    }

    private static List<Row> documentedRows() throws IOException {
        return tableLines().stream().map(ConfigurationDocTest::cells)
                .map(c -> new Row(unquoted(c.get(0)), c.get(1), unquoted(c.get(2)), unquoted(c.get(3)))).toList();
    }

    private static List<String> tableLines() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int header = lines.indexOf(TABLE_HEADER);
        assertThat(header).as("the keys table's header in " + DOC).isNotNegative();
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            rows.add(line);
        }
        return rows;
    }

    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.substring(1, line.length() - 1).split(" \\| ", 5)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    private static String unquoted(String cell) {
        return cell.startsWith("`") && cell.endsWith("`") ? cell.substring(1, cell.length() - 1) : cell;
    }
}
