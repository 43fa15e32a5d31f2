package dev.switchback.releaseapi.copy.rest;

import dev.switchback.releaseapi.copy.ReleaseCopy;
import dev.switchback.releaseapi.copy.service.CopyService;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.service.ReleaseReads;
import dev.switchback.web.Names;
import dev.switchback.web.ProblemException;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Copies of a release for audit and failure analysis: asked for and retired by admins, read by everyone. */
@RolesAllowed(Roles.VIEWER)
@Path("/releases/{id}/copies")
@Produces(MediaType.APPLICATION_JSON)
public class CopyResource {

    private final CopyService copies;
    private final ReleaseReads reads;
    private final Access access;

    public CopyResource(CopyService copies, ReleaseReads reads, Access access) {
        this.copies = copies;
        this.reads = reads;
        this.access = access;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response request(@PathParam("id") String id, @Valid CopyRequest body, UriInfo uri) {
        UUID releaseId = guard(id);
        CopyRequest request = body == null ? new CopyRequest(null, null) : body;
        Duration retention = copies.retention(request.retention());
        String reason = request.reason() == null || request.reason().isBlank() ? null : request.reason();
        ReleaseCopy copy = copies.request(releaseId, reason, retention, access.subject());
        return Response.accepted(CopyView.of(copy))
                .location(uri.getAbsolutePathBuilder().path(copy.id.toString()).build())
                .build();
    }

    @GET
    public List<CopyView> list(@PathParam("id") String id) {
        return copies.list(parse(id)).stream().map(CopyView::of).toList();
    }

    @GET
    @Path("/{copyId}")
    public CopyView get(@PathParam("id") String id, @PathParam("copyId") String copyId) {
        UUID copy = parse(copyId);
        return copies.list(parse(id)).stream().filter(c -> c.id.equals(copy)).findFirst().map(CopyView::of)
                .orElseThrow(() -> ProblemException.notFound("release " + id + " has no copy " + copyId));
    }

    /** Retires the copy now: it is stopped and its database dropped. */
    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Path("/{copyId}")
    public Response retire(@PathParam("id") String id, @PathParam("copyId") String copyId,
                           @QueryParam("reason") @Size(max = 500) @Pattern(regexp = Names.TEXT,
                                   message = "must not contain control characters") String reason) {
        UUID releaseId = guard(id);
        ReleaseCopy copy = copies.retire(releaseId, parse(copyId), reason, access.subject());
        return Response.accepted(CopyView.of(copy)).build();
    }

    /** The release's id, once the token may act on its environment. */
    private UUID guard(String id) {
        UUID releaseId = parse(id);
        Release release = reads.find(releaseId).orElseThrow(() -> ProblemException.notFound("no release " + id));
        access.requireEnvironment(release.environment);
        return releaseId;
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no release or copy " + id);
        }
    }
}
