package dev.switchback.migrator.migration.messaging;

import dev.switchback.events.CopyRequested;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.messaging.Inbox;
import dev.switchback.migrator.copy.service.CopyDatabases;
import dev.switchback.migrator.migration.service.ContractProof;
import dev.switchback.migrator.migration.service.MigrationService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Starts the migrations of every release that leaves the queue, ends a contract proof whose release ended meanwhile,
 * and makes the schema copy of a copy an admin asked for; other release events need nothing here.
 */
@ApplicationScoped
public class ReleaseEventConsumer {

    private final Inbox inbox;
    private final MigrationService migrations;
    private final ContractProof proof;
    private final CopyDatabases copies;

    public ReleaseEventConsumer(Inbox inbox, MigrationService migrations, ContractProof proof, CopyDatabases copies) {
        this.inbox = inbox;
        this.migrations = migrations;
        this.proof = proof;
        this.copies = copies;
    }

    @Incoming("releases")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        inbox.receiveDurably(record, event -> {
            if (event.data() instanceof ReleaseStarted started) {
                migrations.migrate(started);
            } else if (event.data() instanceof ReleaseFailed failed) {
                proof.releaseEnded(failed.release(), failed.reason());
            } else if (event.data() instanceof ReleaseCancelled cancelled) {
                proof.releaseEnded(cancelled.release(), cancelled.reason());
            } else if (event.data() instanceof CopyRequested requested) {
                copies.create(requested);
            }
        });
    }
}
