package com.facecheck.identity;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The one calendar of every date decision — a birth date in the future, the day of the call budget. ID numbers
 * carry Beijing dates and the provider counts Beijing days, so a date is Beijing's whatever the host's zone or
 * the clock's: the worker and {@code validate} decide alike on every host.
 */
public final class ChinaCalendar {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private ChinaCalendar() {
    }

    /** The system clock, in the zone dates are taken in, for the commands to share. */
    public static Clock clock() {
        return Clock.system(ZONE);
    }

    /** The date in Beijing at the clock's instant; the clock's own zone does not count. */
    public static LocalDate today(Clock clock) {
        return dateAt(clock.instant());
    }

    public static LocalDate dateAt(Instant instant) {
        return LocalDate.ofInstant(instant, ZONE);
    }

    /** 00:00 Beijing time on that day. */
    public static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZONE).toInstant();
    }
}
