package dev.switchback.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The outbox's backlog (events written and not yet on Kafka) and lag (age of the oldest of them) as gauges,
 * {@code switchback_outbox_backlog} and {@code switchback_outbox_lag_seconds}. A scrape reads one cached sample at most a
 * second old, so a burst of scrapes costs one query; while the database is away the gauges read NaN, not zero.
 */
@ApplicationScoped
public class OutboxMetrics {

    private static final Logger LOG = Logger.getLogger(OutboxMetrics.class);
    private static final Duration FRESH = Duration.ofSeconds(1);
    private static final String QUERY = "SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)"
            + " FROM outbox WHERE published_at IS NULL";

    private record Sample(double backlog, double lagSeconds, long takenAt) {
    }

    private final DataSource dataSource;
    private final MeterRegistry registry;
    private volatile Sample sample = new Sample(Double.NaN, Double.NaN, 0);

    public OutboxMetrics(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.registry = registry;
    }

    void register(@Observes StartupEvent startup) {
        Gauge.builder("switchback.outbox.backlog", this, m -> m.sample().backlog())
                .description("events written to the outbox and not yet published to Kafka").register(registry);
        Gauge.builder("switchback.outbox.lag", this, m -> m.sample().lagSeconds()).baseUnit("seconds")
                .description("age of the oldest event not yet published; 0 when none waits").register(registry);
    }

    private synchronized Sample sample() {
        if (System.nanoTime() - sample.takenAt() < FRESH.toNanos() && sample.takenAt() != 0) {
            return sample;
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            try (ResultSet rs = statement.executeQuery(QUERY)) {
                rs.next();
                sample = new Sample(rs.getLong(1), rs.getDouble(2), System.nanoTime());
            }
        } catch (SQLException e) {
            LOG.debugf("outbox backlog not read: %s", e.getMessage());
            sample = new Sample(Double.NaN, Double.NaN, System.nanoTime());
        }
        return sample;
    }
}
