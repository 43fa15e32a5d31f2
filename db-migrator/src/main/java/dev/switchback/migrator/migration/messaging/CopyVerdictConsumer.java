package dev.switchback.migrator.migration.messaging;

import dev.switchback.events.CopyRetired;
import dev.switchback.events.CopyStartFailed;
import dev.switchback.events.CopyVerified;
import dev.switchback.messaging.EventHandlers;
import dev.switchback.messaging.Inbox;
import dev.switchback.migrator.copy.service.CopyDatabases;
import dev.switchback.migrator.migration.service.ContractProof;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Hears the deployer's verdict on a contract's copy, and that a requested copy was retired or failed (its schema copy
 * is dropped then); the deployer's other events need nothing here.
 */
@ApplicationScoped
public class CopyVerdictConsumer {

    private final Inbox inbox;
    private final EventHandlers handlers;

    public CopyVerdictConsumer(Inbox inbox, ContractProof proof, CopyDatabases copies) {
        this.inbox = inbox;
        this.handlers = EventHandlers.handling()
                .on(CopyVerified.class, proof::verdict)
                .on(CopyRetired.class, retired -> copies.drop(retired.release(), retired.copyId(),
                        "the copy was retired: " + retired.reason()))
                .on(CopyStartFailed.class, failed -> copies.drop(failed.release(), failed.copyId(),
                        "the copy failed: " + failed.reason()));
    }

    @Incoming("deployments")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        inbox.receiveDurably(record, handlers);
    }
}
