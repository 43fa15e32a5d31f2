package dev.switchback.releaseapi.stream.service;

import dev.switchback.releaseapi.stream.StreamConfig;
import dev.switchback.releaseapi.stream.StreamEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Fans this replica's tail of the topics out to the stream's clients, and keeps the last {@code replay} events so a
 * client that reconnects with {@code Last-Event-ID} gets what it missed. Publishing and subscribing hold one lock, so a
 * subscriber sees every event after the point it started from exactly once.
 */
@ApplicationScoped
public class StreamHub {

    private final StreamConfig config;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<Sequenced> recent = new ArrayDeque<>();
    /** admitted: clients holding a place, from {@link #admit()} until their subscription ends or {@link #leave()}. */
    private final AtomicInteger admitted = new AtomicInteger();
    private long sequence;
    private ScheduledExecutorService heartbeats;

    public StreamHub(StreamConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "release-stream-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.heartbeat().toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        List.copyOf(subscriptions).forEach(Subscription::close);
    }

    /**
     * Takes one of the replica's {@code max-clients} places for a client about to subscribe; false when all are taken.
     * The place is given back when its subscription ends, or by {@link #leave()} when it never subscribes.
     */
    public boolean admit() {
        while (true) {
            int now = admitted.get();
            if (now >= config.maxClients()) {
                return false;
            }
            if (admitted.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place taken by {@link #admit()} for a client that did not subscribe. */
    public void leave() {
        admitted.decrementAndGet();
    }

    /** Where a subscriber starts: the sequence number of the last event published so far. */
    public synchronized long position() {
        return sequence;
    }

    /** Hands an event to every subscriber that asked for it, and keeps it for replay. */
    public synchronized void publish(StreamEvent event) {
        recent.addLast(new Sequenced(++sequence, event));
        while (recent.size() > config.replay()) {
            recent.removeFirst();
        }
        for (Subscription subscription : subscriptions) {
            subscription.offer(event);
        }
    }

    /**
     * Registers a subscriber; {@code before} runs first under the lock (to queue a snapshot), then the kept events after
     * {@code lastEventId} (when it is still kept) or else after {@code from} are replayed to it. The subscriber holds
     * a place taken by {@link #admit()}, given back when the subscription ends.
     *
     * @return whether it resumed after {@code lastEventId}
     */
    public synchronized boolean subscribe(Subscription subscription, String lastEventId, long from,
                                          Consumer<Boolean> before) {
        long after = from;
        boolean resumed = false;
        if (lastEventId != null) {
            for (Sequenced kept : recent) {
                if (kept.event().id().equals(lastEventId)) {
                    after = kept.sequence();
                    resumed = true;
                    break;
                }
            }
        }
        before.accept(resumed);
        for (Sequenced kept : recent) {
            if (kept.sequence() > after) {
                subscription.offer(kept.event());
            }
        }
        subscription.onClose(() -> {
            subscriptions.remove(subscription);
            admitted.decrementAndGet();
        });
        if (!subscription.isClosed()) {
            subscriptions.add(subscription);
        }
        return resumed;
    }

    /** How many clients are connected now. */
    public int clients() {
        return subscriptions.size();
    }

    private void heartbeat() {
        for (Iterator<Subscription> it = subscriptions.iterator(); it.hasNext(); ) {
            Subscription subscription = it.next();
            if (subscription.isClosed()) {
                // A client gone away: ending it here gives its place back.
                it.remove();
                subscription.close();
            } else {
                subscription.comment("heartbeat");
            }
        }
    }

    private record Sequenced(long sequence, StreamEvent event) {
    }
}
