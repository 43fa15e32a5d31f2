package dev.switchback.releaseapi.release.rest;

import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.service.ReleaseQueue;
import dev.switchback.releaseapi.servicespec.rest.ServiceSpecResource;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What runs and waits for a service: one release per environment at a time, the rest in order behind it. */
@RolesAllowed(Roles.VIEWER)
@Path("/services/{service}/queue")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    /**
     * One entry of the queue.
     *
     * @param id          release id
     * @param environment environment
     * @param version     version
     * @param phase       {@code QUEUED} or the phase of the release that runs
     * @param requestedAt when it was asked for: the queue's order
     */
    public record Entry(UUID id, String environment, String version, String phase, Instant requestedAt) {
    }

    private final ReleaseQueue releases;

    public QueueResource(ReleaseQueue releases) {
        this.releases = releases;
    }

    @GET
    public List<Entry> queue(@PathParam("service") @Pattern(regexp = ServiceSpecResource.NAME) String service) {
        return releases.of(service).stream()
                .map((Release r) -> new Entry(r.id, r.environment, r.version, r.phase.name(), r.requestedAt))
                .toList();
    }
}
