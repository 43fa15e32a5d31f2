package dev.switchback.releaseapi.copy.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.events.CopyRequested;
import dev.switchback.events.CopyRetireRequested;
import dev.switchback.events.DatabaseAddresses;
import dev.switchback.events.EventCodec;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.releaseapi.config.ReleaseConfig;
import dev.switchback.releaseapi.copy.CopyState;
import dev.switchback.releaseapi.copy.ReleaseCopy;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.service.ReleaseTransitions;
import dev.switchback.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Copies of a release on an admin's request: each a copy of its own (two requests make two), checked and recorded
 * under the release's lock, so the limit of copies per release holds however many requests race; the migrator and the
 * deployer make and run it from the event. Nothing is recorded for a release that cannot be copied.
 */
@ApplicationScoped
public class CopyService {

    private final ReleaseTransitions transitions;
    private final AuditLog audit;
    private final ReleaseConfig config;
    private final Clock clock;

    public CopyService(ReleaseTransitions transitions, AuditLog audit, ReleaseConfig config, Clock clock) {
        this.transitions = transitions;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    /** The retention a request named: ISO-8601, within the bounds; the default when none. */
    public Duration retention(String requested) {
        if (requested == null || requested.isBlank()) {
            return config.copies().defaultRetention();
        }
        Duration retention;
        try {
            retention = Duration.parse(requested);
        } catch (RuntimeException e) {
            throw new ProblemException(400, "Bad Request", "retention must be an ISO-8601 duration such as PT2H, not "
                    + requested);
        }
        Duration min = config.copies().minRetention();
        Duration max = config.copies().maxRetention();
        if (retention.compareTo(min) < 0 || retention.compareTo(max) > 0) {
            throw ProblemException.unprocessable("retention " + requested + " is outside " + min + " to " + max);
        }
        return retention;
    }

    /** Asks for a new copy of the release. */
    @Transactional
    public ReleaseCopy request(UUID releaseId, String reason, Duration retention, String requestedBy) {
        Release release = transitions.lock(releaseId);
        ReleaseSpec spec = EventCodec.fromJson(release.spec, ReleaseSpec.class);
        refuseUncopyable(release, spec);
        long active = ReleaseCopy.activeOf(releaseId);
        if (active >= config.copies().maxPerRelease()) {
            throw ProblemException.conflict("release " + releaseId + " has " + active + " copies being made or running,"
                    + " the most there may be; retire one first (DELETE /releases/" + releaseId + "/copies/{copyId})");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ReleaseCopy copy = new ReleaseCopy();
        copy.id = UUID.randomUUID();
        copy.releaseId = releaseId;
        copy.service = release.service;
        copy.environment = release.environment;
        copy.version = release.version;
        copy.state = CopyState.PREPARING;
        copy.reason = reason;
        copy.requestedBy = requestedBy;
        copy.retention = retention.toString();
        copy.createdAt = now;
        copy.expiresAt = now.plus(retention);
        copy.persist();
        audit.append("release.copy-requested", release.service, release.environment, releaseId, "copy " + copy.id
                + " of " + release.version + " for " + retention + (reason == null ? "" : ": " + reason));
        transitions.publish(new CopyRequested(ref(copy), copy.id.toString(), spec, reason, requestedBy, copy.expiresAt));
        return copy;
    }

    /** Asks for a copy being made or running to be retired now. */
    @Transactional
    public ReleaseCopy retire(UUID releaseId, UUID copyId, String reason, String requestedBy) {
        ReleaseCopy copy = ReleaseCopy.locked(copyId).filter(c -> c.releaseId.equals(releaseId))
                .orElseThrow(() -> ProblemException.notFound("release " + releaseId + " has no copy " + copyId));
        if (!copy.state.isActive()) {
            throw ProblemException.conflict("copy " + copyId + " is " + copy.state + "; only a PREPARING or RUNNING copy"
                    + " can be retired");
        }
        String why = reason == null || reason.isBlank() ? "retire requested" : reason;
        copy.moveTo(CopyState.RETIRING);
        copy.retiredReason = "retired by " + requestedBy + ": " + why;
        audit.append("release.copy-retire-requested", copy.service, copy.environment, releaseId, "copy " + copyId + ": " + why);
        transitions.publish(new CopyRetireRequested(ref(copy), copyId.toString(), why, requestedBy));
        return copy;
    }

    /** The release's copies; 404 when there is no such release. */
    @Transactional
    public List<ReleaseCopy> list(UUID releaseId) {
        if (Release.findById(releaseId) == null) {
            throw ProblemException.notFound("no release " + releaseId);
        }
        return ReleaseCopy.ofRelease(releaseId);
    }

    /** A release whose version cannot be started against a copy of its database is refused, with why. */
    private static void refuseUncopyable(Release release, ReleaseSpec spec) {
        if (release.contractRelease) {
            throw ProblemException.unprocessable("release " + release.id + " is a contract release: it deploys no code,"
                    + " so there is no version of its own to copy; copy the code release instead");
        }
        if (spec.database() == null) {
            throw ProblemException.unprocessable("release " + release.id + " names no target database: there is no"
                    + " schema to copy");
        }
        DatabaseAddresses.Scan scan;
        try {
            scan = DatabaseAddresses.scan(spec.runtime());
        } catch (IllegalArgumentException e) {
            throw ProblemException.unprocessable("version " + release.version + " cannot be started against a copy: "
                    + e.getMessage());
        }
        if (!scan.readable()) {
            throw ProblemException.unprocessable("version " + release.version + " cannot be started against a copy: its"
                    + " runtime configuration is unreadable: " + String.join("; ", scan.refusals()));
        }
        if (scan.addresses().isEmpty()) {
            throw ProblemException.unprocessable("version " + release.version + " cannot be started against a copy: its"
                    + " runtime names no database address to point at the copy");
        }
    }

    static ReleaseRef ref(ReleaseCopy copy) {
        return new ReleaseRef(copy.releaseId.toString(), copy.service, copy.environment, copy.version);
    }
}
