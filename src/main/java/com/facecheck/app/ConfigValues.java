package com.facecheck.app;

import com.facecheck.contract.PersonFields;
import com.facecheck.provider.ProviderUrl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The kinds of value a configuration key holds: how each is read from the file, a variable or a flag, and how it is
 * written back. A file gives typed YAML scalars, a variable or a flag gives text; both read the same way.
 */
final class ConfigValues {

    /**
     * One kind of value.
     *
     * @param read   throws an IllegalArgumentException saying what was expected
     * @param echoes whether a problem may repeat the value given; a URL may carry a password, and its own messages
     *               quote it without one
     */
    record Kind(String name, Function<JsonNode, Object> read, Function<Object, JsonNode> write, boolean echoes) {

        Kind(String name, Function<JsonNode, Object> read, Function<Object, JsonNode> write) {
            this(name, read, write, true);
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String DURATION_EXPECTED = "a duration such as 30s, 24h, 100ms or PT30S";
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
    /** Largest first; days are read but never written, because the caps' windows are known as 24h. */
    private static final List<Map.Entry<String, Duration>> UNITS = List.of(Map.entry("d", Duration.ofDays(1)),
            Map.entry("h", Duration.ofHours(1)), Map.entry("m", Duration.ofMinutes(1)),
            Map.entry("s", Duration.ofSeconds(1)), Map.entry("ms", Duration.ofMillis(1)));

    private static final Kind TEXT = new Kind("text", node -> text(node, "text"), value -> NODES.textNode((String) value));
    private static final Kind INTEGER = new Kind("integer",
            node -> wholeNumber(node).intValueExact(), value -> NODES.numberNode((Integer) value));
    private static final Kind LONG = new Kind("integer",
            node -> wholeNumber(node).longValueExact(), value -> NODES.numberNode((Long) value));
    private static final Kind NUMBER = new Kind("number",
            node -> decimal(node, "a number such as 12.5").doubleValue(),
            value -> NODES.numberNode(BigDecimal.valueOf((Double) value).stripTrailingZeros()));
    private static final Kind DECIMAL = new Kind("decimal", node -> decimal(node, "a decimal number such as 0.20"),
            value -> NODES.numberNode((BigDecimal) value));
    private static final Kind DURATION = new Kind("duration", node -> duration(text(node, DURATION_EXPECTED)),
            value -> NODES.textNode(text((Duration) value)));
    private static final Kind URL = new Kind("URL", node -> ProviderUrl.of(text(node, "a URL")),
            value -> NODES.textNode(value.toString()), false);
    private static final Kind PERSON_FIELDS = new Kind("person fields", ConfigValues::personFields,
            value -> NODES.textNode(((PersonFields) value).fields().stream().map(PersonFields.Field::label)
                    .collect(Collectors.joining(","))));
    private static final Kind PATH = new Kind("path", node -> path(text(node, "a path")),
            value -> NODES.textNode(value.toString()));
    private static final Kind BOOLEAN = new Kind("boolean", ConfigValues::bool,
            value -> NODES.booleanNode((Boolean) value));
    private static final Set<String> TRUE_WORDS = Set.of("true", "yes", "on");
    private static final Set<String> FALSE_WORDS = Set.of("false", "no", "off");

    private static final Map<Class<?>, Kind> KINDS = Map.of(String.class, TEXT, int.class, INTEGER, long.class, LONG,
            double.class, NUMBER, BigDecimal.class, DECIMAL, Duration.class, DURATION, ProviderUrl.class, URL,
            PersonFields.class, PERSON_FIELDS, Path.class, PATH, boolean.class, BOOLEAN);

    private ConfigValues() {
    }

    /** Whether a key of this type holds one value (records such as ProviderUrl included) rather than a section. */
    static boolean isValue(Class<?> type) {
        return KINDS.containsKey(type) || type.isEnum();
    }

    static Kind kind(Class<?> type) {
        if (type.isEnum()) {
            return enumKind(type);
        }
        Kind kind = KINDS.get(type);
        if (kind == null) {
            throw new IllegalStateException("no configuration value kind for " + type.getName());
        }
        return kind;
    }

    /** An enum constant as the configuration names it: {@code DEAD_LETTER} is {@code dead-letter}. */
    static String label(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The shortest exact form in hours at most: {@code 24h}, {@code 500ms}; ISO-8601 below a millisecond. */
    private static String text(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        for (Map.Entry<String, Duration> unit : UNITS.subList(1, UNITS.size())) {
            if (!duration.isNegative() && duration.toNanos() % unit.getValue().toNanos() == 0) {
                return duration.dividedBy(unit.getValue()) + unit.getKey();
            }
        }
        return duration.toString();
    }

    private static Kind enumKind(Class<?> type) {
        List<Enum<?>> constants = Arrays.stream(type.getEnumConstants()).<Enum<?>>map(c -> (Enum<?>) c).toList();
        List<String> labels = constants.stream().map(ConfigValues::label).toList();
        String expected = "one of " + String.join(", ", labels);
        return new Kind(String.join(" or ", labels), node -> {
            String given = text(node, expected).strip().toLowerCase(Locale.ROOT).replace('_', '-');
            return constants.stream().filter(c -> label(c).equals(given)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("expected " + expected));
        }, value -> NODES.textNode(label((Enum<?>) value)));
    }

    private static String text(JsonNode node, String expected) {
        if (!node.isValueNode()) {
            throw new IllegalArgumentException("expected " + expected + ", not " + (node.isArray() ? "a list" : "a section"));
        }
        return node.asText();
    }

    private static BigDecimal decimal(JsonNode node, String expected) {
        try {
            return new BigDecimal(text(node, expected).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected " + expected);
        }
    }

    private static BigDecimal wholeNumber(JsonNode node) {
        BigDecimal number = decimal(node, "a whole number");
        try {
            number.longValueExact();
            return number;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
    }

    private static Duration duration(String text) {
        Matcher shortForm = SHORT_DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (shortForm.matches()) {
            Duration unit = UNITS.stream().filter(u -> u.getKey().equals(shortForm.group(2))).findFirst()
                    .orElseThrow().getValue();
            try {
                return unit.multipliedBy(Long.parseLong(shortForm.group(1)));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("expected " + DURATION_EXPECTED + ", not one that long");
            }
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected " + DURATION_EXPECTED);
        }
    }

    /** Comma-separated labels, or a YAML list of them. */
    private static PersonFields personFields(JsonNode node) {
        if (node.isArray()) {
            List<String> labels = new ArrayList<>();
            node.forEach(label -> labels.add(text(label, "a person field")));
            return PersonFields.parse(String.join(",", labels));
        }
        return PersonFields.parse(text(node, "person fields separated by commas"));
    }

    /**
     * A boolean as YAML reads one (true, yes, on; false, no, off), and the same words as text, so that a variable or
     * a flag means what the file would; anything else (1, y, enabled) is a mistake, not a guess.
     */
    private static boolean bool(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        String given = text(node, "true or false").strip().toLowerCase(Locale.ROOT);
        if (TRUE_WORDS.contains(given)) {
            return true;
        }
        if (FALSE_WORDS.contains(given)) {
            return false;
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static Path path(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("expected a path (" + e.getReason() + ")");
        }
    }
}
