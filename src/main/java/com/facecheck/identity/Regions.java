package com.facecheck.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Names of GB/T 2260 address codes, current and retired, from the table shipped in the jar. */
public final class Regions {

    private static final String TABLE = "/identity/gbt2260.tsv";

    /** Loaded on first use only: the worker needs it for reports, not to decide anything. */
    private static final class Table {
        static final Map<String, String> BY_CODE = load();
    }

    private Regions() {
    }

    /** The code's own name, else its city's, else its province's; empty when none is known. */
    public static Optional<String> name(String addressCode) {
        if (addressCode == null || addressCode.length() != 6) {
            return Optional.empty();
        }
        for (String code : new String[] {addressCode, addressCode.substring(0, 4) + "00", addressCode.substring(0, 2) + "0000"}) {
            String name = Table.BY_CODE.get(code);
            if (name != null) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> load() {
        Map<String, String> regions = new HashMap<>(8192);
        try (InputStream in = Regions.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException("the region table " + TABLE + " is missing from the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] columns = line.split("\t");
                regions.put(columns[0], columns[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the region table cannot be read", e);
        }
        return regions;
    }
}
