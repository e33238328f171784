package com.facecheck.cli;

import com.facecheck.ops.Replay;
import java.io.PrintWriter;
import java.util.Locale;

/** A replay's progress, redrawn in place on a terminal's standard error. */
final class ProgressBar implements Replay.Progress {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private boolean drawn;

    ProgressBar(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void update(double done, Replay.Summary soFar) {
        int filled = (int) Math.round(Math.min(1, done) * WIDTH);
        err.printf(Locale.ROOT, "\r[%s%s] %3d%%  replayed %d  parked %d  skipped %d", "#".repeat(filled),
                " ".repeat(WIDTH - filled), Math.round(done * 100), soFar.count(Replay.Action.REPLAY),
                soFar.count(Replay.Action.PARK), soFar.count(Replay.Action.SKIP));
        err.flush();
        drawn = true;
    }

    /** Leaves the bar as it is and moves to the next line, for what is printed after it. */
    void end() {
        if (drawn) {
            err.println();
        }
    }
}
