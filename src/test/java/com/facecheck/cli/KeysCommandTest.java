package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.Keyset;
import com.facecheck.testing.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {

    private static final String NAME = "李三";
    private static final String REQUEST = "req-rotation";

    @TempDir
    Path dir;

    @Test
    void createWritesAKeysetOnlyItsOwnerReadsPrintsItsKeyIdAndWarnsThatItIsASecret() throws Exception {
        Path file = dir.resolve("keyset.json");

        CliRun run = CliRun.of("keys", "create", file.toString());

        assertThat(run.exitCode()).isZero();
        Keyset keyset = Keyset.parse(Files.readString(file));
        assertThat(run.out()).isEqualTo(Integer.toUnsignedString(keyset.primaryId()) + " primary\n");
        assertThat(run.err()).contains("key material in clear").contains("never commit it");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void createNeverOverwritesAKeyset() throws Exception {
        Path file = dir.resolve("keyset.json");
        CliRun.of("keys", "create", file.toString());
        String first = Files.readString(file);

        CliRun again = CliRun.of("keys", "create", file.toString());

        assertThat(again.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(again.err()).contains("is never overwritten").contains("keys add");
        assertThat(Files.readString(file)).isEqualTo(first);
    }

    @Test
    void addPromoteAndListRotateTheKeyAndOldRecordsStillDecrypt() throws Exception {
        Path file = dir.resolve("keyset.json");
        CliRun.of("keys", "create", file.toString());
        Keyset original = Keyset.parse(Files.readString(file));
        byte[] sealedBefore = new FieldCipher(original).seal(NAME.getBytes(StandardCharsets.UTF_8), REQUEST);

        CliRun add = CliRun.of("keys", "add", file.toString());
        String newKey = add.out().strip().split(" ")[0];
        CliRun promote = CliRun.of("keys", "promote", file.toString(), newKey);
        CliRun list = CliRun.of("keys", "list", file.toString());

        assertThat(List.of(add.exitCode(), promote.exitCode(), list.exitCode())).containsOnly(0);
        assertThat(add.out()).endsWith(" added\n");
        assertThat(list.out().lines()).containsExactly(Integer.toUnsignedString(original.primaryId()) + " enabled",
                newKey + " primary");
        FieldCipher rotated = new FieldCipher(Keyset.parse(Files.readString(file)));
        assertThat(rotated.open(sealedBefore, REQUEST)).asString(StandardCharsets.UTF_8).isEqualTo(NAME);
        assertThat(Integer.toUnsignedString(FieldCipher.keyId(rotated.seal(NAME.getBytes(StandardCharsets.UTF_8), REQUEST)))).isEqualTo(newKey);
    }

    @Test
    void listReadsTheWorkersKeysetFromTheEnvironmentAndPrintsNoKeyMaterial() {
        Keyset keyset = Keyset.generate().withNewKey();

        CliRun run = CliRun.withEnvironment(Map.of("FACECHECK_KEYSET", keyset.toJson()), "keys", "list");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).matches("(?s)\\d+ primary\n\\d+ enabled\n");
    }

    @Test
    void listWithoutAnyKeysetSaysWhereOneComesFrom() {
        CliRun run = CliRun.withEnvironment(Map.of(), "keys", "list");

        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err()).contains("FACECHECK_KEYSET_FILE");
    }

    @Test
    void promotingAKeyTheKeysetLacksNamesTheKeysItHasAndChangesNothing() throws Exception {
        Path file = dir.resolve("keyset.json");
        CliRun.of("keys", "create", file.toString());
        String before = Files.readString(file);

        CliRun wrongId = CliRun.of("keys", "promote", file.toString(), "42");
        CliRun notANumber = CliRun.of("keys", "promote", file.toString(), "newest");

        assertThat(wrongId.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(wrongId.err()).contains("no key 42")
                .contains(Integer.toUnsignedString(Keyset.parse(before).primaryId()));
        assertThat(notANumber.err()).contains("not 'newest'");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void aMissingKeysetFileSaysHowToCreateOne() {
        CliRun run = CliRun.of("keys", "add", dir.resolve("absent.json").toString());

        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err()).contains("does not exist").contains("keys create");
    }
}
