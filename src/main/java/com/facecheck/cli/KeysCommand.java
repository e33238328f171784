package com.facecheck.cli;

import com.facecheck.crypto.Keyset;
import com.facecheck.provider.Credentials;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The keyset that seals personal data resting in Kafka, as a file: Tink's JSON keyset, its key material in clear, so
 * it is guarded like any other secret. Only key ids are ever printed.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Manage the keyset that encrypts names, ID numbers and photos resting in Kafka.",
                "The keyset file holds its keys in clear: whoever reads it can decrypt every record. Keep it"
                        + " where you keep FACECHECK_HASH_SECRET, and give it to the worker as FACECHECK_KEYSET_FILE.",
                "To rotate: 'add' a key, deploy the keyset to every instance, 'promote' the new key, deploy again;"
                        + " keep the old key in the keyset until the records it encrypted have expired."},
        subcommands = {KeysCommand.Create.class, KeysCommand.Add.class, KeysCommand.Promote.class,
                KeysCommand.ListKeys.class})
final class KeysCommand implements Runnable {

    static final String WARNING = "holds key material in clear: whoever reads it can decrypt every record it"
            + " protects. Keep it readable by the worker only, in your secret store; never commit it or send it by mail.";

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private FacecheckCli cli;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Write a new keyset of one AES-256-GCM key, its primary, to FILE (never over an existing"
                    + " file), readable by its owner only; print the key's id.")
    static final class Create implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "where the keyset goes; must not exist")
        private Path file;

        @Override
        public Integer call() {
            Keyset keyset = Keyset.generate();
            write(file, keyset, false);
            spec.commandLine().getOut().println(Integer.toUnsignedString(keyset.primaryId()) + " primary");
            spec.commandLine().getErr().println(file + " " + WARNING);
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a new key to the keyset in FILE, not yet primary, and print its id. Deploy the keyset"
                    + " to every instance before promoting the key: an instance without it cannot read what it seals.")
    static final class Add implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the keyset file")
        private Path file;

        @Override
        public Integer call() {
            Keyset before = read(file);
            Keyset after = before.withNewKey();
            write(file, after, true);
            after.keys().stream().filter(k -> before.keys().stream().noneMatch(old -> old.id() == k.id()))
                    .forEach(k -> spec.commandLine().getOut().println(Integer.toUnsignedString(k.id()) + " added"));
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Make key KEY_ID of the keyset in FILE its primary: new records are encrypted under it, older"
                    + " ones stay readable while their key is in the keyset.")
    static final class Promote implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE", description = "the keyset file")
        private Path file;

        @Parameters(index = "1", paramLabel = "KEY_ID", description = "a key id as 'keys list' shows it")
        private String keyId;

        @Override
        public Integer call() {
            int id;
            try {
                id = Integer.parseUnsignedInt(keyId);
            } catch (NumberFormatException e) {
                throw new CliError("KEY_ID must be a key id as 'keys list' shows it (a number), not '" + keyId + "'");
            }
            try {
                write(file, read(file).promote(id), true);
            } catch (IllegalArgumentException e) {
                throw new CliError(e.getMessage());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Print the keyset's key ids, one a line, with 'primary' or 'enabled'; never key material.",
                    "Reads FILE, or without one the keyset the worker would use (FACECHECK_KEYSET or"
                            + " FACECHECK_KEYSET_FILE)."})
    static final class ListKeys implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @ParentCommand
        private KeysCommand keys;

        @Parameters(paramLabel = "FILE", arity = "0..1", description = "the keyset file")
        private Path file;

        @Override
        public Integer call() {
            Keyset keyset = file != null ? read(file) : fromEnvironment();
            PrintWriter out = spec.commandLine().getOut();
            keyset.keys().forEach(k -> out.println(Integer.toUnsignedString(k.id()) + " "
                    + (k.primary() ? "primary" : k.enabled() ? "enabled" : "disabled")));
            return 0;
        }

        private Keyset fromEnvironment() {
            return keys.cli.keyset().orElseThrow(() -> new CliError("no keyset: name a keyset FILE, or set "
                    + Keyset.ENV + " or " + Keyset.ENV + Credentials.FILE_SUFFIX));
        }
    }

    private static Keyset read(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliError(file + " does not exist: create a keyset with 'keys create " + file + "'");
        } catch (IOException e) {
            throw new CliError(file + " cannot be read: " + e.getClass().getSimpleName());
        }
        try {
            return Keyset.parse(json);
        } catch (IllegalArgumentException e) {
            throw new CliError(file + ": " + e.getMessage());
        }
    }

    /**
     * Writes through a file beside the target, renamed over it, so that a crash never leaves half a keyset: a lost key
     * is every record it sealed lost.
     */
    private static void write(Path file, Keyset keyset, boolean replace) {
        Path target = file.toAbsolutePath();
        if (!replace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new CliError(file + " exists: a keyset is never overwritten (its keys may still be needed to read"
                    + " records); choose another FILE, or use 'keys add' to add a key to it");
        }
        Path temporary = target.resolveSibling("." + target.getFileName() + ".new");
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(temporary);
            ownerOnly(temporary);
            Files.writeString(temporary, keyset.toJson(), StandardCharsets.UTF_8);
            if (replace) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                // Not ATOMIC_MOVE: that would replace a keyset someone created meanwhile; this refuses to.
                Files.move(temporary, target);
            }
        } catch (FileAlreadyExistsException e) {
            throw new CliError(file + " was created meanwhile by someone else: check it, then choose another FILE");
        } catch (IOException e) {
            throw new CliError(file + " cannot be written: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // Only a leftover of a failed write: the error that caused it is already being reported.
            }
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // No POSIX permissions here (Windows): the file inherits its folder's access list.
            Files.createFile(file);
        }
    }
}
