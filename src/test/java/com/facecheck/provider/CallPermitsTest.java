package com.facecheck.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.TimeMeter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallPermitsTest {

    /** A clock the test moves by hand. */
    private static final class ManualTime implements TimeMeter {
        final AtomicLong nanos = new AtomicLong();

        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        void advanceMillis(long millis) {
            nanos.addAndGet(millis * 1_000_000);
        }
    }

    @Test
    void noTaskCanTakeMoreThanItsShareInAnyOneSecond() {
        ManualTime time = new ManualTime();
        // 400 calls/s over 4 partitions: 100 per task per second.
        CallPermits permits = CallPermits.forTask(400, 4, new CallPermits.InFlight(10_000), time);
        int maxInAnySecond = 0;
        int[] grantedPerMillisecond = new int[5000];
        for (int ms = 0; ms < grantedPerMillisecond.length; ms++) {
            while (permits.tryAcquire()) {
                grantedPerMillisecond[ms]++;
            }
            time.advanceMillis(1);
        }
        int total = 0;
        for (int start = 0; start + 1000 <= grantedPerMillisecond.length; start++) {
            int window = 0;
            for (int ms = start; ms < start + 1000; ms++) {
                window += grantedPerMillisecond[ms];
            }
            maxInAnySecond = Math.max(maxInAnySecond, window);
        }
        for (int granted : grantedPerMillisecond) {
            total += granted;
        }
        assertThat(maxInAnySecond).isLessThanOrEqualTo(100);
        assertThat(total / 5.0).isGreaterThanOrEqualTo(95);
    }

    @Test
    void theInFlightCapIsSharedAndReleased() {
        CallPermits.InFlight inFlight = new CallPermits.InFlight(2);
        CallPermits a = CallPermits.forTask(0, 2, inFlight);
        CallPermits b = CallPermits.forTask(0, 2, inFlight);
        assertThat(a.tryAcquire()).isTrue();
        assertThat(b.tryAcquire()).isTrue();
        assertThat(a.tryAcquire()).isFalse();
        b.release();
        assertThat(a.tryAcquire()).isTrue();
        assertThat(b.tryAcquire()).as("the released place is taken again").isFalse();
    }

    @Test
    void aShareBelowOneCallPerSecondIsRefusedAtStartUp() {
        assertThatThrownBy(() -> CallPermits.forTask(3, 4, new CallPermits.InFlight(1)))
                .hasMessageContaining("fewer partitions");
    }
}
