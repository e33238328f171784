package com.facecheck.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Searches bytes at rest (files, Kafka records) for personal data and secrets, in every form they could take there:
 * a name as UTF-8 and as JSON's {@code \\uXXXX} escapes, an ID number as sent and with a lower-case {@code x}, a photo
 * by fragments of its base64 text and of its bytes. Keeps count of what it searched, for the coverage a report gives.
 */
public final class LeakScan {

    /** One form of one value: what the report calls it, and the bytes that would betray it. */
    private record Needle(String label, String latin1) {
    }

    private static final int FRAGMENT = 24;
    private static final int FRAGMENTS = 4;

    private final List<Needle> needles = new ArrayList<>();
    private final List<String> found = new ArrayList<>();
    private final Map<String, long[]> searched = new LinkedHashMap<>();

    /** A name: its UTF-8 bytes, and the escapes a JSON writer may use instead. */
    public LeakScan name(String label, String name) {
        add(label, name.getBytes(StandardCharsets.UTF_8));
        StringBuilder lower = new StringBuilder();
        name.chars().forEach(c -> lower.append(String.format(Locale.ROOT, "\\u%04x", c)));
        add(label + " (JSON escapes)", lower.toString().getBytes(StandardCharsets.US_ASCII));
        add(label + " (JSON escapes)", lower.toString().toUpperCase(Locale.ROOT).replace("\\U", "\\u")
                .getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** A secret or an ID number: as it is, and in lower case. */
    public LeakScan text(String label, String text) {
        add(label, text.getBytes(StandardCharsets.UTF_8));
        if (!text.toLowerCase(Locale.ROOT).equals(text)) {
            add(label + " (lower case)", text.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** A photo: fragments of its base64 text and of the bytes it stands for, from its middle, not its headers. */
    public LeakScan photo(String label, String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        for (int i = 1; i <= FRAGMENTS; i++) {
            int at = base64.length() * i / (FRAGMENTS + 1) / 4 * 4;
            add(label + " (base64 at " + at + ")", base64.substring(at, at + FRAGMENT)
                    .getBytes(StandardCharsets.US_ASCII));
            int byteAt = bytes.length * i / (FRAGMENTS + 1);
            add(label + " (bytes at " + byteAt + ")", java.util.Arrays.copyOfRange(bytes, byteAt, byteAt + FRAGMENT));
        }
        return this;
    }

    private void add(String label, byte[] bytes) {
        needles.add(new Needle(label, new String(bytes, StandardCharsets.ISO_8859_1)));
    }

    /** Every regular file under {@code root} that {@code include} accepts, as a whole. */
    public void files(String place, Path root, Predicate<Path> include) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).filter(include).toList()) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (IOException e) {
                    // A file deleted while walking (a segment cleaned, a RocksDB file compacted) holds nothing now.
                    continue;
                }
                search(place, root.relativize(file).toString(), bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keys, values and headers of {@code records}. */
    public void records(String place, List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String where = r.topic() + "-" + r.partition() + "@" + r.offset();
            search(place, where + " key", r.key());
            search(place, where + " value", r.value());
            for (Header h : r.headers()) {
                search(place, where + " header " + h.key(), h.value());
            }
            searched.get(place)[2]++;
        }
        searched.computeIfAbsent(place, p -> new long[3]);
    }

    private void search(String place, String where, byte[] bytes) {
        long[] counts = searched.computeIfAbsent(place, p -> new long[3]);
        if (bytes == null) {
            return;
        }
        counts[0]++;
        counts[1] += bytes.length;
        String haystack = new String(bytes, StandardCharsets.ISO_8859_1);
        for (Needle needle : needles) {
            if (haystack.contains(needle.latin1())) {
                found.add(needle.label() + " in " + place + ": " + where);
            }
        }
    }

    /** Where a needle was found; empty when nothing leaked. */
    public List<String> found() {
        return List.copyOf(found);
    }

    public int needles() {
        return needles.size();
    }

    /** Per place: files or fields searched, bytes, and records where they were records. */
    public String coverage() {
        StringBuilder report = new StringBuilder();
        searched.forEach((place, c) -> report.append(String.format(Locale.ROOT, "%s: %d %s, %,d bytes%s%n", place,
                c[0], c[2] > 0 ? "keys, values and headers" : "files", c[1],
                c[2] > 0 ? " in " + c[2] + " records" : "")));
        return report.toString();
    }

    /** Whether any file under {@code root} that {@code include} accepts holds {@code text}: a scan's own control. */
    public static boolean anyFileHolds(Path root, Predicate<Path> include, String text) {
        String needle = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).filter(include).toList()) {
                try {
                    if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(needle)) {
                        return true;
                    }
                } catch (IOException e) {
                    // gone while walking
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
