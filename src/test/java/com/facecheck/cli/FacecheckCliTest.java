package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.testing.CliRun;
import java.util.List;
import org.junit.jupiter.api.Test;

class FacecheckCliTest {

    /**
     * The local stack's commands are registered by class name, so that the worker's jar starts without them; with
     * every class present, as in the full jar and here, a renamed or moved command would silently go missing.
     * deploy/slim-check runs the worker's jar, where they are absent.
     */
    @Test
    void listsTheLocalStackCommandsBesideTheWorkersWhenTheirClassesArePresent() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        List<String> commands = run.out().lines()
                .dropWhile(line -> !line.equals("Commands:")).skip(1)
                .map(line -> line.strip().split(" +")[0])
                .toList();
        assertThat(commands).contains("run", "topics", "demo", "simulate", "broker", "help");
    }
}
