package dev.switchback.migrator.migration.messaging;

import dev.switchback.events.CopyRequested;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.messaging.EventHandlers;
import dev.switchback.messaging.Inbox;
import dev.switchback.migrator.copy.service.CopyDatabases;
import dev.switchback.migrator.migration.service.ContractProof;
import dev.switchback.migrator.migration.service.MigrationService;
import dev.switchback.messaging.KeyedLanes;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Starts the migrations of every release that leaves the queue, ends a contract proof whose release ended meanwhile,
 * and makes the schema copy of a copy an admin asked for; other release events need nothing here.
 */
@ApplicationScoped
public class ReleaseEventConsumer {

    private final Inbox inbox;
    private final KeyedLanes lanes;
    private final EventHandlers handlers;

    public ReleaseEventConsumer(Inbox inbox, MigrationService migrations, ContractProof proof, CopyDatabases copies,
                                KeyedLanes lanes) {
        this.inbox = inbox;
        this.lanes = lanes;
        this.handlers = EventHandlers.handling()
                .on(ReleaseStarted.class, migrations::migrate)
                .on(ReleaseFailed.class, failed -> proof.releaseEnded(failed.release(), failed.reason()))
                .on(ReleaseCancelled.class, cancelled -> proof.releaseEnded(cancelled.release(), cancelled.reason()))
                .on(CopyRequested.class, copies::create);
    }

    /**
     * Each service's records on its lane, as in the deployer and the switcher: one service's migrations in order, other
     * services' at once, so a long migration holds up only the services on its lane (and none of them for long
     * behind a release that has none).
     */
    @Incoming("releases")
    public CompletionStage<Void> receive(Message<String> message) {
        return lanes.submit(message, this::consume);
    }

    /** Handles one record, once ({@link Inbox}). */
    public void consume(ConsumerRecord<String, String> record) {
        inbox.receiveDurably(record, handlers);
    }
}
