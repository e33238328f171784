package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.ops.Replay;
import com.facecheck.ops.Tally;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static final Instant T0 = Instant.parse("2026-11-30T02:00:00Z");

    @Test
    void theBarIsRedrawnInPlaceWithTheCountsAndEndsItsLineOnlyOnceDrawn() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err, true));
        bar.end();
        assertThat(err.toString()).as("nothing drawn, no empty line").isEmpty();

        bar.update(0.5, summary(240, 10, 0));
        bar.update(1, summary(480, 20, 3));
        bar.end();

        assertThat(err.toString()).isEqualTo(
                "\r[" + "#".repeat(15) + " ".repeat(15) + "]  50%  replayed 240  parked 10  skipped 0"
                        + "\r[" + "#".repeat(30) + "] 100%  replayed 480  parked 20  skipped 3" + System.lineSeparator());
    }

    private static Replay.Summary summary(long replayed, long parked, long skipped) {
        return new Replay.Summary(Map.of(Replay.Action.REPLAY, Map.of("provider-unavailable", tally(replayed)),
                Replay.Action.PARK, Map.of("provider-unavailable", tally(parked)),
                Replay.Action.SKIP, Map.of("internal-error", tally(skipped))), List.of(), Map.of(), null, null);
    }

    private static Tally tally(long count) {
        return new Tally(count, count == 0 ? null : T0, count == 0 ? null : T0);
    }
}
