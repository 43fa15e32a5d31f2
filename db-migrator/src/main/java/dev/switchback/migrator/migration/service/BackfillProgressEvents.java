package dev.switchback.migrator.migration.service;

import dev.switchback.events.BackfillProgressed;
import dev.switchback.events.ReleaseRef;
import dev.switchback.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Publishes a backfill's progress while the run goes on: in a transaction of its own, since the run's transaction
 * commits only at its end. Progress is a fact about batches already committed, so it stands even if the run fails later.
 */
@ApplicationScoped
public class BackfillProgressEvents {

    private static final Logger LOG = Logger.getLogger(BackfillProgressEvents.class);

    private final Outbox outbox;

    public BackfillProgressEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** The progress sink of one release's run. A lost progress event never stops the backfill. */
    BackfillRunner.Progress of(ReleaseRef release) {
        return (version, batches, rows, matched, done) -> {
            try {
                publish(new BackfillProgressed(release, version, batches, rows, matched, done));
            } catch (RuntimeException e) {
                LOG.warnf("release %s: cannot publish the progress of backfill %s: %s", release.id(), version, e.getMessage());
            }
        };
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void publish(BackfillProgressed progress) {
        outbox.publish(progress);
    }
}
