package dev.switchback.releaseapi.freeze;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A recurring freeze: every week, on each of its days, from a local time to a local time (on the next day when the
 * end is earlier than the start), in its time zone. Local times follow daylight saving changes.
 */
@Entity
@Table(name = "freeze_schedule")
public class FreezeSchedule extends PanacheEntityBase {

    /** id: given when the schedule is created. */
    @Id
    public UUID id;

    /** environment: the environment frozen. */
    public String environment;

    /** days: the days a freeze starts on, as ISO day names joined by commas, e.g. {@code FRIDAY,SATURDAY}. */
    public String days;

    /** fromTime: local time each freeze starts. */
    @Column(name = "from_time")
    public LocalTime fromTime;

    /** toTime: local time each freeze ends; the next day when not after fromTime. */
    @Column(name = "to_time")
    public LocalTime toTime;

    /** zone: the IANA time zone of the local times. */
    public String zone;

    /** reason: why the environment is frozen. */
    public String reason;

    /** createdAt: when the schedule was created. */
    @Column(name = "created_at")
    public Instant createdAt;

    public Set<DayOfWeek> dayset() {
        return Arrays.stream(days.split(",")).map(DayOfWeek::valueOf)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(DayOfWeek.class)));
    }

    public static String join(Set<DayOfWeek> days) {
        return days.stream().sorted().map(DayOfWeek::name).collect(Collectors.joining(","));
    }

    /** When the occurrence of this schedule that covers the instant ends, if one does. */
    public Optional<ZonedDateTime> endOfOccurrenceAt(Instant at) {
        ZoneId zoneId = ZoneId.of(zone);
        LocalDateTime local = LocalDateTime.ofInstant(at, zoneId);
        boolean overnight = !toTime.isAfter(fromTime);
        Set<DayOfWeek> starts = dayset();
        // An occurrence lasts less than a day, so only one started today or yesterday can cover the instant.
        for (LocalDate day : List.of(local.toLocalDate(), local.toLocalDate().minusDays(1))) {
            if (!starts.contains(day.getDayOfWeek())) {
                continue;
            }
            ZonedDateTime start = day.atTime(fromTime).atZone(zoneId);
            ZonedDateTime end = (overnight ? day.plusDays(1) : day).atTime(toTime).atZone(zoneId);
            if (!at.isBefore(start.toInstant()) && at.isBefore(end.toInstant())) {
                return Optional.of(end);
            }
        }
        return Optional.empty();
    }

    public static List<FreezeSchedule> of(String environment) {
        return list("environment = ?1 order by createdAt", environment);
    }
}
