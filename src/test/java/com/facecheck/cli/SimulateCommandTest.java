package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.testing.CliRun;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mistake in calling the simulator is one line that names the option and says what to do, exit 2. */
class SimulateCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.withEnvironment(Map.of("FACECHECK_APPCODE", "simulate-command-test-code"), args);
    }

    @Test
    void aTakenPortIsOneLineThatSaysWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            CliRun run = run("simulate", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
            assertThat(run.err().strip()).doesNotContain("\n").startsWith("facecheck simulate: cannot listen on")
                    .contains("pick another --port");
        }
    }

    @Test
    void anEmptyBehaviourFileIsNamed() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        CliRun run = run("simulate", "--port", "0", "--behaviour", empty.toString());
        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n").contains(empty.toString()).contains("is empty");
    }

    @Test
    void aBehaviourFileWithAnUnknownSettingOrNotJsonIsRefusedWithoutLibraryText() throws Exception {
        Path misspelt = Files.writeString(dir.resolve("misspelt.json"), "{\"latencyMilis\": 200}");
        CliRun unknown = run("simulate", "--port", "0", "--behaviour", misspelt.toString());
        assertThat(unknown.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(unknown.err().strip()).doesNotContain("\n").contains(misspelt.toString())
                .contains("no such setting: latencyMilis").contains("latencyMillis");

        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"latencyMillis\": ");
        CliRun notJson = run("simulate", "--port", "0", "--behaviour", broken.toString());
        assertThat(notJson.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(notJson.err().strip()).doesNotContain("\n").contains(broken.toString()).contains("not JSON")
                .doesNotContain("com.fasterxml").doesNotContain("Source:");
    }

    @Test
    void aFolderOrAMissingFileIsSaidSo() {
        CliRun folder = run("simulate", "--port", "0", "--behaviour", dir.toString());
        assertThat(folder.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(folder.err().strip()).contains("is a folder");
        CliRun missing = run("simulate", "--port", "0", "--behaviour", dir.resolve("nope.json").toString());
        assertThat(missing.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(missing.err().strip()).contains("no such file");
    }
}
