package dev.switchback.messaging;

import dev.switchback.events.SwitchbackEvent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The event types a consumer acts on, each with its handler. Saying so up front lets the {@link Inbox} pass over the
 * rest without a transaction: a topic carries every event of its stage, and most of them need nothing from a given
 * service (the migrator reads {@code release.requested} just before each {@code release.started}, and recording it
 * as processed cost the release a database round of its own before its migrations could begin).
 */
public final class EventHandlers {

    private final Map<Class<? extends SwitchbackEvent>, Consumer<SwitchbackEvent>> handlers = new LinkedHashMap<>();

    private EventHandlers() {
    }

    /** A set with no handler yet. */
    public static EventHandlers handling() {
        return new EventHandlers();
    }

    /** Adds the handler of one event type (and its subtypes); the first type an event is an instance of handles it. */
    public <T extends SwitchbackEvent> EventHandlers on(Class<T> type, Consumer<? super T> handler) {
        handlers.put(type, event -> handler.accept(type.cast(event)));
        return this;
    }

    /** Whether one of the handlers takes the event. */
    public boolean handles(SwitchbackEvent event) {
        return handlerOf(event) != null;
    }

    /** Hands the event to its handler; does nothing for an event none takes. */
    public void handle(SwitchbackEvent event) {
        Consumer<SwitchbackEvent> handler = handlerOf(event);
        if (handler != null) {
            handler.accept(event);
        }
    }

    private Consumer<SwitchbackEvent> handlerOf(SwitchbackEvent event) {
        for (Map.Entry<Class<? extends SwitchbackEvent>, Consumer<SwitchbackEvent>> entry : handlers.entrySet()) {
            if (entry.getKey().isInstance(event)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
