package dev.switchback.releaseapi.freeze;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/** When a recurring freeze is on: overnight occurrences, the days they start on, daylight saving. */
class FreezeScheduleTest {

    private static final String BERLIN = "Europe/Berlin";

    @Test
    void shouldCoverAnOvernightFreezeIntoTheNextMorningOnlyAfterAStartDay() {
        FreezeSchedule fridayNights = schedule(EnumSet.of(DayOfWeek.FRIDAY), "18:00", "08:00", BERLIN);

        // 2026-11-27 is a Friday.
        assertThat(fridayNights.endOfOccurrenceAt(at("2026-11-27T17:59:00+01:00[Europe/Berlin]"))).isEmpty();
        assertThat(fridayNights.endOfOccurrenceAt(at("2026-11-27T18:00:00+01:00[Europe/Berlin]")))
                .hasValueSatisfying(end -> assertThat(end.toString()).startsWith("2026-11-28T08:00+01:00"));
        assertThat(fridayNights.endOfOccurrenceAt(at("2026-11-28T07:59:00+01:00[Europe/Berlin]"))).isPresent();
        assertThat(fridayNights.endOfOccurrenceAt(at("2026-11-28T08:00:00+01:00[Europe/Berlin]"))).isEmpty();
        assertThat(fridayNights.endOfOccurrenceAt(at("2026-11-28T19:00:00+01:00[Europe/Berlin]")))
                .as("Saturday is not a start day").isEmpty();
    }

    @Test
    void shouldKeepLocalTimesAcrossADaylightSavingChange() {
        FreezeSchedule sundayMornings = schedule(EnumSet.of(DayOfWeek.SUNDAY), "01:00", "05:00", BERLIN);

        // Clocks go from 02:00 to 03:00 on 2026-03-29: the freeze lasts three real hours and still ends at 05:00.
        assertThat(sundayMornings.endOfOccurrenceAt(at("2026-03-29T00:30:00Z")))
                .hasValueSatisfying(end -> assertThat(end.toString()).startsWith("2026-03-29T05:00+02:00"));
        assertThat(sundayMornings.endOfOccurrenceAt(at("2026-03-29T03:01:00Z"))).isEmpty();
    }

    private static java.time.Instant at(String zoned) {
        return ZonedDateTime.parse(zoned).toInstant();
    }

    private static FreezeSchedule schedule(EnumSet<DayOfWeek> days, String from, String to, String zone) {
        FreezeSchedule schedule = new FreezeSchedule();
        schedule.days = FreezeSchedule.join(days);
        schedule.fromTime = LocalTime.parse(from);
        schedule.toTime = LocalTime.parse(to);
        schedule.zone = zone;
        schedule.reason = "test";
        return schedule;
    }
}
