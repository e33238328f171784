package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.facecheck.contract.Json;
import com.facecheck.identity.CheckCharacter;
import com.facecheck.identity.ChinaCalendar;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandCalendarTest {

    @TempDir
    Path dir;

    private static String request(String requestId, LocalDate birthday) {
        String first17 = "110105" + birthday.format(DateTimeFormatter.BASIC_ISO_DATE) + "002";
        return "{\"requestId\":\"" + requestId + "\",\"name\":\"李三\",\"idNumber\":\"" + first17
                + CheckCharacter.of(first17) + "\",\"img\":\"https://photos.example.com/1.jpg\",\"consentId\":\"c-"
                + requestId + "\"}";
    }

    @Test
    void judgesBirthDatesOnBeijingsCalendarWhateverTheHostsZone() throws Exception {
        LocalDate beijingToday = ChinaCalendar.today(Clock.systemUTC());
        // a host whose date is not Beijing's right now: 20 hours behind until 20:00 in Beijing, 6 ahead after
        ZoneOffset host = ZonedDateTime.now(ChinaCalendar.ZONE).getHour() < 20 ? ZoneOffset.ofHours(-12)
                : ZoneOffset.ofHours(14);
        Path input = Files.write(dir.resolve("born.jsonl"), List.of(request("born-today", beijingToday),
                request("born-tomorrow", beijingToday.plusDays(1))), StandardCharsets.UTF_8);
        StringWriter out = new StringWriter();
        TimeZone hostZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(host));
        try {
            FacecheckCli.execute(new String[] {"validate", input.toString()}, new PrintWriter(out, true),
                    new PrintWriter(new StringWriter(), true));
        } finally {
            TimeZone.setDefault(hostZone);
        }
        assumeThat(ChinaCalendar.today(Clock.systemUTC())).as("no Beijing midnight during the run")
                .isEqualTo(beijingToday);

        List<String> verdicts = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            var verdict = Json.MAPPER.readTree(line);
            verdicts.add(verdict.path("requestId").asText() + " " + verdict.path("reason").asText("ok"));
        }
        assertThat(verdicts).containsExactly("born-today ok", "born-tomorrow id-number-birth-date-in-future");
    }
}
