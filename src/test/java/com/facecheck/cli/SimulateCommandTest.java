package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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

    private record Run(int exitCode, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        int code = FacecheckCli.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                Map.of("FACECHECK_APPCODE", "simulate-command-test-code"));
        return new Run(code, err.toString().strip());
    }

    @Test
    void aTakenPortIsOneLineThatSaysWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Run run = run("simulate", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
            assertThat(run.err()).doesNotContain("\n").startsWith("facecheck simulate: cannot listen on")
                    .contains("pick another --port");
        }
    }

    @Test
    void anEmptyBehaviourFileIsNamed() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        Run run = run("simulate", "--port", "0", "--behaviour", empty.toString());
        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err()).doesNotContain("\n").contains(empty.toString()).contains("is empty");
    }

    @Test
    void aBehaviourFileWithAnUnknownSettingOrNotJsonIsRefusedWithoutLibraryText() throws Exception {
        Path misspelt = Files.writeString(dir.resolve("misspelt.json"), "{\"latencyMilis\": 200}");
        Run unknown = run("simulate", "--port", "0", "--behaviour", misspelt.toString());
        assertThat(unknown.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(unknown.err()).doesNotContain("\n").contains(misspelt.toString())
                .contains("no such setting: latencyMilis").contains("latencyMillis");

        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"latencyMillis\": ");
        Run notJson = run("simulate", "--port", "0", "--behaviour", broken.toString());
        assertThat(notJson.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(notJson.err()).doesNotContain("\n").contains(broken.toString()).contains("not JSON")
                .doesNotContain("com.fasterxml").doesNotContain("Source:");
    }

    @Test
    void aFolderOrAMissingFileIsSaidSo() {
        Run folder = run("simulate", "--port", "0", "--behaviour", dir.toString());
        assertThat(folder.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(folder.err()).contains("is a folder");
        Run missing = run("simulate", "--port", "0", "--behaviour", dir.resolve("nope.json").toString());
        assertThat(missing.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(missing.err()).contains("no such file");
    }
}
