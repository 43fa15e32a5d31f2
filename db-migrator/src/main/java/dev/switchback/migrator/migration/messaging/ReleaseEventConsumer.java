package dev.switchback.migrator.migration.messaging;

import dev.switchback.events.ReleaseStarted;
import dev.switchback.messaging.Inbox;
import dev.switchback.migrator.migration.service.MigrationService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Starts the migrations of every release that leaves the queue; other release events need nothing here. */
@ApplicationScoped
public class ReleaseEventConsumer {

    private final Inbox inbox;
    private final MigrationService migrations;

    public ReleaseEventConsumer(Inbox inbox, MigrationService migrations) {
        this.inbox = inbox;
        this.migrations = migrations;
    }

    @Incoming("releases")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        inbox.receiveDurably(record, event -> {
            if (event.data() instanceof ReleaseStarted started) {
                migrations.migrate(started);
            }
        });
    }
}
