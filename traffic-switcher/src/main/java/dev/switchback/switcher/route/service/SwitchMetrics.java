package dev.switchback.switcher.route.service;

import dev.switchback.events.Measurement;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.switchback.messaging.AfterCommit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the switcher decides, for Prometheus: {@code switchback_cutover_switch_seconds{outcome}} (the router moving
 * traffic to green when a cutover starts), {@code switchback_rollback_switch_seconds} (from the decision to traffic back
 * on blue, as {@code traffic.rollback-completed} reports it) and {@code switchback_analysis_verdicts_total{verdict}}.
 * Every series is registered at start, so a dashboard's rate() has a zero to begin from. Each is counted once its
 * decision commits: a transaction tried again (the inbox retries through a database outage) counts once, and one
 * that rolls back not at all.
 */
@ApplicationScoped
public class SwitchMetrics {

    private final MeterRegistry registry;
    private final Timer rollbackSwitch;
    private final TransactionSynchronizationRegistry transactions;

    public SwitchMetrics(MeterRegistry registry, TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.transactions = transactions;
        this.rollbackSwitch = Timer.builder("switchback.rollback.switch")
                .description("from the rollback's decision to traffic back on blue").register(registry);
        List.of("done", "failed").forEach(this::cutoverSwitch);
        List.of(Measurement.PASS, Measurement.FAIL, Measurement.INCONCLUSIVE).forEach(this::verdicts);
    }

    /** The router moved traffic for a cutover's start (or could not), in {@code nanos}. */
    public void cutoverSwitched(boolean done, long nanos) {
        Timer timer = cutoverSwitch(done ? "done" : "failed");
        AfterCommit.run(transactions, () -> timer.record(nanos, TimeUnit.NANOSECONDS));
    }

    /** Traffic is back on blue, {@code millis} after the rollback was decided. */
    public void rolledBack(long millis) {
        AfterCommit.run(transactions, () -> rollbackSwitch.record(millis, TimeUnit.MILLISECONDS));
    }

    /** One analysis interval's verdict. */
    public void judged(String verdict) {
        Counter counter = verdicts(verdict);
        AfterCommit.run(transactions, counter::increment);
    }

    private Timer cutoverSwitch(String outcome) {
        return Timer.builder("switchback.cutover.switch").tag("outcome", outcome)
                .description("the router moving traffic to green at a cutover's start").register(registry);
    }

    private Counter verdicts(String verdict) {
        return Counter.builder("switchback.analysis.verdicts").tag("verdict", verdict)
                .description("analysis intervals judged, by verdict").register(registry);
    }
}
