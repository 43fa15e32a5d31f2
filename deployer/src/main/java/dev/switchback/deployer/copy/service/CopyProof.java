package dev.switchback.deployer.copy.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.deployer.config.DeployerConfig;
import dev.switchback.deployer.instance.Instance;
import dev.switchback.deployer.instance.InstanceState;
import dev.switchback.deployer.instance.runtime.Answer;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.deployer.instance.runtime.RuntimeDriver;
import dev.switchback.events.CopyPrepared;
import dev.switchback.events.CopyVerified;
import dev.switchback.events.DatabaseAddresses;
import dev.switchback.events.EventCodec;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RuntimeSpec;
import dev.switchback.messaging.EndedReleases;
import dev.switchback.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Proves a contract change before production gets it: a copy of the live version (blue's recorded artifact and
 * runtime, every database address pointed at the schema copy, started by {@link CopyLauncher}) runs on a port of its
 * own, must pass its health check and every smoke path, and is stopped again; the verdict, with the evidence, goes back to the migrator. The
 * copy's id comes from the release, so a redelivery replaces a copy left by a crash instead of starting a second.
 */
@ApplicationScoped
public class CopyProof {

    private static final Logger LOG = Logger.getLogger(CopyProof.class);
    /** EXCERPT: how much of a body or a log the evidence carries. */
    private static final int EXCERPT = 500;

    private final CopyLauncher launcher;
    private final EndedReleases ended;
    private final Outbox outbox;
    private final AuditLog audit;
    private final DeployerConfig config;
    private final HttpClient http;

    public CopyProof(CopyLauncher launcher, EndedReleases ended, Outbox outbox, AuditLog audit, DeployerConfig config) {
        this.launcher = launcher;
        this.ended = ended;
        this.outbox = outbox;
        this.audit = audit;
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.healthTimeout()).build();
    }

    /** The copy's instance id: from the release, never the id of a real instance. */
    static String copyId(ReleaseRef release) {
        return release.service() + "-" + release.environment() + "-copy-" + release.id().substring(0, Math.min(8, release.id().length()));
    }

    /** Runs in the consumer's transaction: the verdict commits with the processed mark. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void prove(CopyPrepared prepared) {
        ReleaseRef release = prepared.release();
        if (ended.isEnded(release.id())) {
            // The migrator still drops its scratch database on this verdict.
            outbox.publish(new CopyVerified(release, false, null, null, null, null, "the release ended before its proof", null));
            return;
        }
        Optional<Instance> blue = Instance.<Instance>find("service = ?1 and environment = ?2 and state = ?3 order by updatedAt desc",
                release.service(), release.environment(), InstanceState.LIVE).firstResultOptional();
        if (blue.isEmpty()) {
            outbox.publish(new CopyVerified(release, true, null, null, null, null, "no live version to prove against", null));
            return;
        }
        outbox.publish(judge(release, blue.get(), prepared));
    }

    private CopyVerified judge(ReleaseRef release, Instance blue, CopyPrepared prepared) {
        ReleaseSpec spec = EventCodec.fromJson(blue.spec, ReleaseSpec.class);
        RuntimeSpec runtime;
        try {
            runtime = CopyLauncher.pointedAt(spec.runtime(), prepared.url());
        } catch (CopyLauncher.NoAddress e) {
            return verdict(release, blue, false, null, null, null, "the live version's runtime names no database"
                    + " address the copy could be pointed at, so the contract cannot be proven", null);
        } catch (IllegalArgumentException e) {
            return verdict(release, blue, false, null, null, null, "cannot point the live version at the copy: "
                    + e.getMessage(), null);
        }
        String id = copyId(release);
        RuntimeDriver driver = launcher.driver(spec);
        Handle handle;
        try {
            handle = launcher.start(id, blue.version, spec, runtime);
        } catch (RuntimeException e) {
            return verdict(release, blue, false, null, null, null, "the copy could not start: " + e.getMessage(), null);
        }
        audit.append("copy.started", release.service(), release.environment(), null, id + " of " + blue.version
                + " on " + handle.endpoint() + " against " + prepared.database());
        try {
            int wait = CopyLauncher.waitSeconds(spec);
            Answer ready = launcher.awaitReady(driver, handle, wait);
            if (!ready.isYes()) {
                Probe probe = get(handle.endpoint(), spec.health().path());
                return verdict(release, blue, false, handle, spec.health().path(), probe.status(),
                        "not healthy within " + wait + " s: " + ready.reason(), driver.logTail(handle));
            }
            List<String> paths = new ArrayList<>(List.of(spec.health().path()));
            paths.addAll(spec.health().smokePathsOrEmpty());
            for (String path : paths) {
                Probe probe = get(handle.endpoint(), path);
                if (probe.status() == null || probe.status() / 100 != 2) {
                    return verdict(release, blue, false, handle, path, probe.status(), probe.text(), driver.logTail(handle));
                }
            }
            return verdict(release, blue, true, handle, null, null, "healthy against the copy on " + String.join(", ", paths), null);
        } finally {
            driver.stop(handle);
            audit.append("copy.retired", release.service(), release.environment(), null, id + ": proof over");
        }
    }

    /** What one GET answered: its status (null when nothing answered) and a body excerpt or the error. */
    private record Probe(Integer status, String text) {
    }

    private Probe get(URI endpoint, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(endpoint + path))
                    .timeout(config.healthTimeout()).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Probe(response.statusCode(), excerpt(response.body()));
        } catch (IOException e) {
            return new Probe(null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(null, "interrupted");
        }
    }

    private static CopyVerified verdict(ReleaseRef release, Instance blue, boolean healthy, Handle handle, String path,
                                        Integer status, String evidence, String log) {
        LOG.infof("release %s: the copy of %s %s: %s", release.id(), blue.version, healthy ? "passed" : "failed", evidence);
        return new CopyVerified(release, healthy, blue.version, handle == null ? null : handle.endpoint().toString(), path,
                status, DatabaseAddresses.redact(excerpt(evidence)), log == null ? null : DatabaseAddresses.redact(excerpt(log)));
    }

    private static String excerpt(String text) {
        if (text == null) {
            return "";
        }
        String strip = text.strip();
        return strip.length() <= EXCERPT ? strip : strip.substring(strip.length() - EXCERPT);
    }
}
