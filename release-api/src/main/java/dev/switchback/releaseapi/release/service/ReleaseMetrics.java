package dev.switchback.releaseapi.release.service;

import dev.switchback.releaseapi.release.Phase;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.Trigger;
import dev.switchback.messaging.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The releases as Prometheus sees them: {@code switchback_releases{phase}} (how many are in each phase now),
 * {@code switchback_release_transitions_total{from,to}}, {@code switchback_releases_ended_total{outcome}} (promoted,
 * rolled_back, failed, cancelled), {@code switchback_release_phase_duration_seconds{phase}} (time spent in a phase, from
 * the stages' event times) and {@code switchback_rollbacks_total{cause}} (analysis, requested: an operator or the
 * watchdog). Counted once the transaction that made the change commits, so a rolled-back attempt counts nothing.
 */
@ApplicationScoped
public class ReleaseMetrics {

    /** OUTCOMES: how a release can end, as the {@code outcome} label says it. */
    static final List<String> OUTCOMES = List.of("promoted", "rolled_back", "failed", "cancelled");
    /** CAUSES: what starts a rollback, as the {@code cause} label says it. */
    static final List<String> CAUSES = List.of("analysis", "requested");

    private final MeterRegistry registry;
    private final TransactionSynchronizationRegistry transactions;
    private final Map<Phase, AtomicLong> inPhase = new EnumMap<>(Phase.class);

    public ReleaseMetrics(MeterRegistry registry, TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.transactions = transactions;
        for (Phase phase : Phase.values()) {
            AtomicLong count = new AtomicLong();
            inPhase.put(phase, count);
            Gauge.builder("switchback.releases", count, AtomicLong::get).tag("phase", phase.name())
                    .description("releases in the phase now").register(registry);
            phaseTimer(phase);
        }
        // Every series exists from the start, so a dashboard's rate() has a zero to begin from.
        OUTCOMES.forEach(this::ended);
        CAUSES.forEach(this::rollbacks);
    }

    /** A release moved from one phase to another (or was promoted, staying LIVE); {@code since}: when it entered {@code from}. */
    public void moved(Release release, Phase from, Phase to, Trigger trigger, Instant since, Instant at) {
        afterCommit(() -> {
            if (from != to) {
                Counter.builder("switchback.release.transitions").tag("from", from.name()).tag("to", to.name())
                        .register(registry).increment();
                if (since != null && at != null && !at.isBefore(since)) {
                    phaseTimer(from).record(Duration.between(since, at));
                }
            }
            if (trigger == Trigger.BAKE_COMPLETED) {
                ended("promoted").increment();
            } else if (from != to && to.isTerminal()) {
                ended(to.name().toLowerCase(Locale.ROOT)).increment();
            }
            if (from != to && (to == Phase.ROLLING_BACK || (to == Phase.ROLLED_BACK && from != Phase.ROLLING_BACK))) {
                rollbacks(trigger == Trigger.REQUEST_ROLLBACK ? "requested" : "analysis").increment();
            }
        });
    }

    /** Counts the releases per phase again; a gauge read from the database, so every replica shows the same. */
    @Scheduled(every = "${switchback.metrics.phase-refresh:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void refresh() {
        Map<Phase, Long> counts = new EnumMap<>(Phase.class);
        Release.getEntityManager().createQuery("select r.phase, count(r) from Release r group by r.phase", Object[].class)
                .getResultList().forEach(row -> counts.put((Phase) row[0], (Long) row[1]));
        inPhase.forEach((phase, count) -> count.set(counts.getOrDefault(phase, 0L)));
    }

    private Timer phaseTimer(Phase phase) {
        return Timer.builder("switchback.release.phase.duration").tag("phase", phase.name())
                .description("time a release spent in the phase, from the stages' event times").register(registry);
    }

    private Counter ended(String outcome) {
        return Counter.builder("switchback.releases.ended").tag("outcome", outcome)
                .description("releases that ended, by outcome").register(registry);
    }

    private Counter rollbacks(String cause) {
        return Counter.builder("switchback.rollbacks").tag("cause", cause)
                .description("releases switched back to blue, by what started it").register(registry);
    }

    private void afterCommit(Runnable count) {
        AfterCommit.run(transactions, count);
    }
}
