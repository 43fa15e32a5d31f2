package dev.switchback.deployer.copy.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.deployer.copy.RequestedCopy;
import dev.switchback.deployer.instance.runtime.Answer;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.deployer.instance.runtime.RuntimeDriver;
import dev.switchback.events.CopyCreated;
import dev.switchback.events.CopyRetired;
import dev.switchback.events.CopyStartFailed;
import dev.switchback.events.CopyStarted;
import dev.switchback.events.DatabaseAddresses;
import dev.switchback.events.EventCodec;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RuntimeSpec;
import dev.switchback.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * The deployer's half of a copy an admin asked for: the release's version started against its schema copy through
 * {@link CopyLauncher}, health-gated, kept running with no traffic, and retired when its retention ends or an admin asks.
 * Each decision is made on the copy's row read under its lock: a redelivered event starts nothing twice, and a copy
 * retired before its schema copy was ready never starts.
 */
@ApplicationScoped
public class RequestedCopies {

    private static final Logger LOG = Logger.getLogger(RequestedCopies.class);
    /** LOG_EXCERPT: how much of a failed copy's log its event carries. */
    private static final int LOG_EXCERPT = 1000;

    private final CopyLauncher launcher;
    private final Outbox outbox;
    private final AuditLog audit;
    private final Clock clock;

    public RequestedCopies(CopyLauncher launcher, Outbox outbox, AuditLog audit, Clock clock) {
        this.launcher = launcher;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /** The copy's instance id: from the copy id, never the id of a real instance. */
    public static String instanceId(ReleaseRef release, String copyId) {
        return release.service() + "-" + release.environment() + "-copy-"
                + copyId.replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
    }

    /** Starts the copy on its schema copy, once; runs in the consumer's transaction, within {@link CopyLauncher#waitSeconds}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void start(CopyCreated created) {
        ReleaseRef release = created.release();
        if (RequestedCopy.locked(created.copyId()).isPresent()) {
            LOG.infof("copy %s is known already; nothing to start", created.copyId());
            return;
        }
        RequestedCopy copy = row(release, created.copyId(), created.expiresAt());
        copy.spec = EventCodec.toJson(created.spec());
        copy.copyUrl = created.url();
        if (!created.expiresAt().isAfter(clock.instant())) {
            retired(copy, "its retention ended at " + created.expiresAt() + " before it could start");
            return;
        }
        ReleaseSpec spec = created.spec();
        RuntimeSpec runtime;
        try {
            runtime = CopyLauncher.pointedAt(spec.runtime(), created.url());
        } catch (CopyLauncher.NoAddress | IllegalArgumentException e) {
            failed(copy, "cannot point version " + release.version() + " at the copy: " + e.getMessage(), null);
            return;
        }
        RuntimeDriver driver = launcher.driver(spec);
        Handle handle;
        try {
            handle = launcher.start(copy.instanceId, release.version(), spec, runtime);
        } catch (RuntimeException e) {
            failed(copy, "version " + release.version() + " could not start: " + e.getMessage(), null);
            return;
        }
        copy.driver = spec.runtime().driver();
        copy.handle(handle);
        int wait = CopyLauncher.waitSeconds(spec);
        Answer ready = launcher.awaitReady(driver, handle, wait);
        if (!ready.isYes()) {
            String log = driver.logTail(handle);
            driver.stop(handle);
            failed(copy, "version " + release.version() + " was not healthy within " + wait + " s: " + ready.reason(), log);
            return;
        }
        copy.state = RequestedCopy.State.RUNNING;
        copy.startedAt = clock.instant();
        copy.persist();
        audit.append("copy.started", release.service(), release.environment(), UUID.fromString(release.id()),
                copy.instanceId + " of " + release.version() + " on " + handle.endpoint() + " against "
                        + created.database() + " until " + created.expiresAt());
        outbox.publish(new CopyStarted(release, created.copyId(), copy.instanceId, handle.endpoint().toString(),
                created.database(), created.expiresAt()));
        LOG.infof("copy %s of %s %s runs on %s against %s until %s", created.copyId(), release.service(),
                release.version(), handle.endpoint(), created.database(), created.expiresAt());
    }

    /**
     * Retires the copy: stops it if it runs; a copy not heard of yet is recorded retired, so its start, if it comes
     * later, starts nothing. Runs in the caller's transaction; a copy already retired or failed is left alone.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void retire(ReleaseRef release, String copyId, String reason) {
        RequestedCopy copy = RequestedCopy.locked(copyId).orElse(null);
        if (copy == null) {
            retired(row(release, copyId, clock.instant()), reason);
            return;
        }
        if (copy.state != RequestedCopy.State.RUNNING) {
            LOG.debugf("copy %s is %s; nothing to retire", copyId, copy.state);
            return;
        }
        Handle handle = copy.handle();
        RuntimeDriver driver = launcher.driver(EventCodec.fromJson(copy.spec, ReleaseSpec.class));
        driver.stop(handle);
        audit.append("copy.retired", copy.service, copy.environment, UUID.fromString(copy.releaseId),
                copy.instanceId + ": " + reason);
        retired(copy, reason);
    }

    /**
     * After a restart: a running copy whose process is gone is started again where it was (its endpoint is what the
     * admin was given); one still running is adopted. Runs in the caller's transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recover(String copyId) {
        RequestedCopy copy = RequestedCopy.locked(copyId).filter(c -> c.state == RequestedCopy.State.RUNNING).orElse(null);
        if (copy == null) {
            return;
        }
        ReleaseSpec spec = EventCodec.fromJson(copy.spec, ReleaseSpec.class);
        RuntimeDriver driver = launcher.driver(spec);
        Handle handle = copy.handle();
        if (!driver.reaches(handle) || driver.liveness(handle).isYes()) {
            return;
        }
        RuntimeSpec runtime = CopyLauncher.pointedAt(spec.runtime(), copy.copyUrl);
        copy.handle(driver.recover(handle, CopyLauncher.launch(copy.instanceId, copy.version, spec, runtime)));
        LOG.infof("copy %s was gone after a restart; started again at %s", copyId, copy.endpoint);
    }

    private RequestedCopy row(ReleaseRef release, String copyId, Instant expiresAt) {
        RequestedCopy copy = new RequestedCopy();
        copy.copyId = copyId;
        copy.releaseId = release.id();
        copy.service = release.service();
        copy.environment = release.environment();
        copy.version = release.version();
        copy.instanceId = instanceId(release, copyId);
        copy.expiresAt = expiresAt;
        return copy;
    }

    private void retired(RequestedCopy copy, String reason) {
        copy.state = RequestedCopy.State.RETIRED;
        copy.reason = reason;
        copy.retiredAt = clock.instant();
        copy.persist();
        outbox.publish(new CopyRetired(copy.release(), copy.copyId, copy.instanceId, reason));
        LOG.infof("copy %s retired: %s", copy.copyId, reason);
    }

    private void failed(RequestedCopy copy, String reason, String log) {
        LOG.warnf("copy %s failed: %s", copy.copyId, reason);
        copy.state = RequestedCopy.State.FAILED;
        copy.reason = DatabaseAddresses.redact(reason);
        copy.retiredAt = clock.instant();
        copy.persist();
        String tail = log == null ? null : DatabaseAddresses.redact(log.substring(Math.max(0, log.length() - LOG_EXCERPT)));
        outbox.publish(new CopyStartFailed(copy.release(), copy.copyId, copy.reason, tail));
    }
}
