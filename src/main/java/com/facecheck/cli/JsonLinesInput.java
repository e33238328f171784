package com.facecheck.cli;

import com.facecheck.contract.JsonLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** The requests a command reads: JSON lines from a file, or from stdin for '-'. */
final class JsonLinesInput {

    private JsonLinesInput() {
    }

    /** Line by line as bytes: a line that is not UTF-8 is one line's problem, not the file's. */
    static List<JsonLines.Line> read(String input) {
        if (input == null || input.equals("-")) {
            try {
                return JsonLines.read(System.in);
            } catch (IOException e) {
                throw new CliError("standard input cannot be read: " + e.getMessage());
            }
        }
        Path file = Path.of(input);
        if (Files.isDirectory(file)) {
            throw new CliError(input + " is a folder; give a file of JSON lines, or '-' to read stdin");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return JsonLines.read(in);
        } catch (NoSuchFileException e) {
            throw new CliError(input + ": no such file. Give a file of JSON lines, or '-' to read stdin");
        } catch (IOException e) {
            throw new CliError(input + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
