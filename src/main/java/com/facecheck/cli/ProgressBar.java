package com.facecheck.cli;

import com.facecheck.ops.Replay;
import java.io.Console;
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

    /** Whether a person watches: a bar redrawn with carriage returns would litter a log file or a pipe. */
    static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // From JDK 22 there is a console with redirected streams too, and isTerminal says whether it is one.
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 there is a console only on a terminal
        }
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
