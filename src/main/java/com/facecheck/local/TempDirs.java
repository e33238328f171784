package com.facecheck.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary folders for the embedded broker and local state, removed when a run ends. */
public final class TempDirs {

    private TempDirs() {
    }

    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder (" + prefix + "…); check free space"
                    + " and permissions of " + System.getProperty("java.io.tmpdir"), e);
        }
    }

    /** Deletes the folder and everything in it; what cannot be deleted is left for the OS to clean. */
    public static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // left-over temporary files hold no request data once the run has ended cleanly
        }
    }
}
