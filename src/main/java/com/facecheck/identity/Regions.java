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

    private record Region(String name, boolean retired) {
    }

    /** Loaded on first use only: the worker needs it for reports, not to decide anything. */
    private static final class Table {
        static final Map<String, Region> BY_CODE = load();
    }

    private Regions() {
    }

    /** The code's own name, else its city's, else its province's; empty when none is known. */
    public static Optional<String> name(String addressCode) {
        if (addressCode == null || addressCode.length() != 6) {
            return Optional.empty();
        }
        for (String code : new String[] {addressCode, addressCode.substring(0, 4) + "00", addressCode.substring(0, 2) + "0000"}) {
            Region region = Table.BY_CODE.get(code);
            if (region != null) {
                return Optional.of(region.name());
            }
        }
        return Optional.empty();
    }

    /** Whether the code is known only from older revisions of the table. */
    public static boolean isRetired(String addressCode) {
        Region region = Table.BY_CODE.get(addressCode);
        return region != null && region.retired();
    }

    private static Map<String, Region> load() {
        Map<String, Region> regions = new HashMap<>(8192);
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
                regions.put(columns[0], new Region(columns[1], "retired".equals(columns[2])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the region table cannot be read", e);
        }
        return regions;
    }
}
