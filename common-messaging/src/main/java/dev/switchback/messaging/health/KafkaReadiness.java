package dev.switchback.messaging.health;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Readiness check "Kafka broker": DOWN while no broker answers within {@link #TIMEOUT_MILLIS}, so a service that can
 * neither publish its outbox nor take in events is taken out of a load balancer's rotation. The consumers' own checks
 * keep a channel UP while its client retries; this asks the cluster, with the service's own {@code kafka.*} settings
 * (TLS, SASL), through one admin client kept open.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    /** NAME: the check's name in {@code /q/health/ready}. */
    public static final String NAME = "Kafka broker";

    /** TIMEOUT_MILLIS: how long the check waits for the cluster to answer. */
    static final int TIMEOUT_MILLIS = 3_000;

    private final Map<String, Object> kafkaConfig;
    private Admin admin;

    public KafkaReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.kafkaConfig = kafkaConfig;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MILLIS)).nodes()
                    .get(TIMEOUT_MILLIS + 500L, TimeUnit.MILLISECONDS).size();
            return HealthCheckResponse.named(NAME).up().withData("brokers", nodes).build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            return HealthCheckResponse.named(NAME).down()
                    .withData("error", why == null ? e.getClass().getSimpleName() : why).build();
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            kafkaConfig.forEach((key, value) -> {
                if (AdminClientConfig.configNames().contains(key)) {
                    props.put(key, value);
                }
            });
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MILLIS);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MILLIS);
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "readiness");
            admin = Admin.create(props);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
