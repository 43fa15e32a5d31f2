package dev.switchback.releaseapi.freeze;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Whether an environment is frozen at an instant, by a one-off window or a recurring schedule, and until when. */
@ApplicationScoped
public class Freezes {

    /**
     * A freeze in force.
     *
     * @param endsAt when it ends, in its own zone
     * @param reason why the environment is frozen
     */
    public record Freeze(ZonedDateTime endsAt, String reason) {
    }

    /** The freeze in force at the instant, the one ending last when several overlap. */
    public Optional<Freeze> active(String environment, Instant at) {
        Stream<Freeze> windows = FreezeWindow.active(environment, at).stream()
                .map(w -> new Freeze(w.endsAt.atZone(ZoneId.of(w.zone)), w.reason));
        Stream<Freeze> scheduled = FreezeSchedule.of(environment).stream()
                .flatMap(s -> s.endOfOccurrenceAt(at).map(end -> new Freeze(end, s.reason)).stream());
        return Stream.concat(windows, scheduled).max(Comparator.comparing(f -> f.endsAt().toInstant()));
    }
}
