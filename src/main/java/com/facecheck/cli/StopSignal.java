package com.facecheck.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (Ctrl-C) as a request to stop, for commands that run until stopped. The JVM's own handling
 * would run shutdown hooks while the command still runs and exit with 143 or 130; here the command closes what it
 * opened on its own thread and exits 0, as a clean stop should.
 */
final class StopSignal {

    private final CountDownLatch requested = new CountDownLatch(1);

    private StopSignal() {
    }

    /** A stop requested by {@link #request()} only: how tests stand in for a signal. */
    static StopSignal manual() {
        return new StopSignal();
    }

    void request() {
        requested.countDown();
    }

    /** Takes over both signals for the rest of the process. */
    static StopSignal install() {
        StopSignal stop = new StopSignal();
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> stop.requested.countDown());
        }
        return stop;
    }

    boolean requested() {
        return requested.getCount() == 0;
    }

    void await() throws InterruptedException {
        requested.await();
    }

    /** Whether a stop was requested within {@code timeout}. */
    boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
