package dev.switchback.migrator.migration.messaging;

import dev.switchback.events.CopyVerified;
import dev.switchback.messaging.Inbox;
import dev.switchback.migrator.migration.service.ContractProof;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Hears the deployer's verdict on a contract's copy; the deployer's other events need nothing here. */
@ApplicationScoped
public class CopyVerdictConsumer {

    private final Inbox inbox;
    private final ContractProof proof;

    public CopyVerdictConsumer(Inbox inbox, ContractProof proof) {
        this.inbox = inbox;
        this.proof = proof;
    }

    @Incoming("deployments")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        inbox.receiveDurably(record, event -> {
            if (event.data() instanceof CopyVerified verdict) {
                proof.verdict(verdict);
            }
        });
    }
}
