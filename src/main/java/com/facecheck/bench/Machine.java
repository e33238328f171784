package com.facecheck.bench;

import com.facecheck.contract.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The machine figures were measured on, as the figures must say. */
final class Machine {

    private Machine() {
    }

    static ObjectNode describe() {
        ObjectNode machine = Json.MAPPER.createObjectNode()
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        procLine("/proc/cpuinfo", "model name").ifPresent(cpu -> machine.put("cpu", cpu));
        procLine("/proc/meminfo", "MemTotal").ifPresent(memory -> machine.put("memory", memory));
        return machine;
    }

    /** The value of the first {@code key: value} line of a {@code /proc} file. */
    private static Optional<String> procLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
