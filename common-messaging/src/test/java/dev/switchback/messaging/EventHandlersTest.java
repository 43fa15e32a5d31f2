package dev.switchback.messaging;

import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.SwitchbackEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A consumer's handlers: each event type to its own handler, and the types no handler takes told apart. */
class EventHandlersTest {

    private static final ReleaseRef RELEASE = new ReleaseRef("r-1", "svc", "test", "1.0.0");

    @Test
    void shouldHandEachEventToTheHandlerOfItsTypeOnly() {
        List<String> seen = new ArrayList<>();
        EventHandlers handlers = EventHandlers.handling()
                .on(ReleaseFailed.class, failed -> seen.add("failed: " + failed.reason()))
                .on(ReleaseCancelled.class, cancelled -> seen.add("cancelled: " + cancelled.reason()));

        handlers.handle(new ReleaseCancelled(RELEASE, "withdrawn"));
        handlers.handle(new ReleaseFailed(RELEASE, "deploy", "broken"));

        assertThat(seen).containsExactly("cancelled: withdrawn", "failed: broken");
    }

    @Test
    void shouldTellTheEventsNoHandlerTakesAndLeaveThemAlone() {
        List<SwitchbackEvent> seen = new ArrayList<>();
        EventHandlers handlers = EventHandlers.handling().on(ReleaseFailed.class, seen::add);
        ReleaseCancelled other = new ReleaseCancelled(RELEASE, "withdrawn");

        assertThat(handlers.handles(new ReleaseFailed(RELEASE, "deploy", "broken"))).isTrue();
        assertThat(handlers.handles(other)).isFalse();
        handlers.handle(other);
        assertThat(seen).isEmpty();
        assertThat(EventHandlers.handling().handles(other)).as("no handler at all").isFalse();
    }

    @Test
    void shouldLetTheFirstMatchingTypeHandleAnEventOfSeveral() {
        List<String> seen = new ArrayList<>();
        EventHandlers handlers = EventHandlers.handling()
                .on(ReleaseFailed.class, failed -> seen.add("specific"))
                .on(SwitchbackEvent.class, any -> seen.add("any"));

        handlers.handle(new ReleaseFailed(RELEASE, "deploy", "broken"));
        handlers.handle(new ReleaseCancelled(RELEASE, "withdrawn"));

        assertThat(seen).containsExactly("specific", "any");
    }
}
