package dev.switchback.releaseapi.stream.rest;

import dev.switchback.events.EventCodec;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.rest.ReleaseView;
import dev.switchback.releaseapi.release.service.ReleaseReads;
import dev.switchback.releaseapi.stream.StreamConfig;
import dev.switchback.releaseapi.stream.StreamFilter;
import dev.switchback.releaseapi.stream.service.StreamHub;
import dev.switchback.releaseapi.stream.service.Subscription;
import dev.switchback.web.Names;
import dev.switchback.web.ProblemException;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The live stream of releases as Server-Sent Events, for dashboards and for CI waiting on an outcome. Each event is
 * named after its CloudEvents type and carries the release's status after the change (see {@code StreamEvent}); a
 * client watching one release, or one service in one environment, first gets a {@code snapshot} of where it stands.
 */
@RolesAllowed(Roles.VIEWER)
@Path("/releases/stream")
public class ReleaseStreamResource {

    /** SNAPSHOT: the event name of the status a client gets when it connects (not when it resumes). */
    public static final String SNAPSHOT = "snapshot";
    /** RETRY_AFTER_SECONDS: when a client refused for want of a place is told to try again. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final StreamHub hub;
    private final ReleaseReads reads;
    private final Access access;
    private final StreamConfig config;

    public ReleaseStreamResource(StreamHub hub, ReleaseReads reads, Access access, StreamConfig config) {
        this.hub = hub;
        this.reads = reads;
        this.access = access;
        this.config = config;
    }

    @GET
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@QueryParam("service") @Pattern(regexp = Names.NAME, message = "must be a service name") String service,
                       @QueryParam("environment") @Pattern(regexp = Names.NAME, message = "must be an environment name")
                       String environment,
                       @QueryParam("release") @Pattern(regexp = "[0-9a-fA-F-]{36}", message = "must be a release id")
                       String release,
                       @HeaderParam("Last-Event-ID") @Size(max = 64) String lastEventId,
                       @Context SseEventSink sink, @Context Sse sse, @Context HttpServerResponse response) {
        // nginx (and proxies that honour it) would otherwise hold events back to fill its buffer.
        response.putHeader("X-Accel-Buffering", "no");
        if (!hub.admit()) {
            response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
            throw new ProblemException(503, "Service Unavailable", "this replica already streams to "
                    + config.maxClients() + " clients (switchback.stream.max-clients); try again later or another replica");
        }
        try {
            subscribe(service, environment, release, lastEventId, sink, sse);
        } catch (RuntimeException e) {
            hub.leave();
            throw e;
        }
    }

    /** Subscribes the admitted client; a refusal here (404, 403) gives its place back through the caller. */
    private void subscribe(String service, String environment, String release, String lastEventId, SseEventSink sink,
                           Sse sse) {
        UUID releaseId = release == null ? null : parse(release);
        Optional<Release> watched = Optional.empty();
        if (releaseId != null) {
            watched = Optional.of(reads.find(releaseId).orElseThrow(() -> ProblemException.notFound("no release " + release)));
            access.requireEnvironment(watched.get().environment);
        }
        if (environment != null) {
            access.requireEnvironment(environment);
        }
        if (watched.isEmpty() && service != null && environment != null) {
            watched = reads.history(service, environment).stream().findFirst();
        }
        Subscription subscription = new Subscription(sink, sse,
                new StreamFilter(service, environment, releaseId, access.environments()), config.clientBuffer());
        long from = hub.position();
        String snapshot = watched.map(r -> EventCodec.toJson(Map.of("release", ReleaseView.of(r, reads.steps(r.id)))))
                .orElse(null);
        hub.subscribe(subscription, blankToNull(lastEventId), from, resumed -> {
            subscription.comment(resumed ? "resumed" : "connected");
            if (!resumed && snapshot != null) {
                subscription.offer(SNAPSHOT, snapshot);
            }
        });
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "Bad Request", "release must be a release id, not " + id);
        }
    }
}
