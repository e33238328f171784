package com.facecheck.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * A point in time as an operator gives one: ISO-8601 with its offset ({@code 2026-11-30T10:00:00+08:00},
 * {@code 2026-11-30T02:00:00Z}), or how long ago ({@code 2h}, {@code 3d}, as durations are given elsewhere).
 */
final class TimeConverter implements CommandLine.ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                return Instant.now().minus(new TopicsCreateCommand.DurationConverter().convert(value));
            } catch (CommandLine.TypeConversionException notADuration) {
                throw new CommandLine.TypeConversionException("'" + value + "' is no time: give one with its offset,"
                        + " like 2026-11-30T10:00:00+08:00, or how long ago, like 2h or 3d");
            }
        }
    }
}
