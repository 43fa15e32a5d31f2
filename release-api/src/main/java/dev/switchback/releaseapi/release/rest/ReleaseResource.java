package dev.switchback.releaseapi.release.rest;

import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.service.Approvals;
import dev.switchback.releaseapi.release.service.OperatorCommands;
import dev.switchback.releaseapi.release.service.ReleaseReads;
import dev.switchback.releaseapi.release.service.SubmissionService;
import dev.switchback.releaseapi.servicespec.rest.ServiceSpecResource;
import dev.switchback.web.Names;
import dev.switchback.web.ProblemException;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Where CI ships releases and follows them. */
@RolesAllowed(Roles.VIEWER)
@Path("/releases")
@Produces(MediaType.APPLICATION_JSON)
public class ReleaseResource {

    private final SubmissionService submissions;
    private final OperatorCommands commands;
    private final Approvals approvals;
    private final ReleaseReads reads;
    private final Access access;

    public ReleaseResource(SubmissionService submissions, OperatorCommands commands, Approvals approvals,
                           ReleaseReads reads, Access access) {
        this.submissions = submissions;
        this.commands = commands;
        this.approvals = approvals;
        this.reads = reads;
        this.access = access;
    }

    @POST
    @RolesAllowed(Roles.RELEASER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(@NotNull @Valid ReleaseRequest request,
                           @HeaderParam("Idempotency-Key") @Size(min = 1, max = 255) @Pattern(regexp = "[\\x21-\\x7e]+",
                                   message = "must be 1 to 255 visible ASCII characters") String idempotencyKey,
                           UriInfo uri) {
        access.requireEnvironment(request.environment());
        if (request.emergency() != null) {
            access.requireRole(Roles.ADMIN, "an emergency release, which runs through freeze windows,");
        }
        SubmissionService.Submission submission = submissions.submit(request, idempotencyKey, access.subject());
        if (submission instanceof SubmissionService.Submission.Rejected rejected) {
            throw ProblemException.unprocessable(rejected.reason());
        }
        SubmissionService.Submission.Accepted accepted = (SubmissionService.Submission.Accepted) submission;
        Release release = accepted.release();
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("id", release.id);
        body.put("phase", release.phase);
        if (!accepted.linked().isEmpty()) {
            body.put("linked", accepted.linked().stream()
                    .map(linked -> Map.of("id", linked.id, "phase", linked.phase, "contractRelease", linked.contractRelease,
                            "schemaOnly", linked.contractRelease))
                    .toList());
        }
        return Response.accepted(body)
                .header("Idempotent-Replayed", accepted.replayed() ? "true" : null)
                .location(uri.getBaseUriBuilder().path("releases").path(release.id.toString()).build())
                .build();
    }

    @GET
    @Path("/{id}")
    public ReleaseView get(@PathParam("id") String id) {
        UUID releaseId = parse(id);
        return reads.find(releaseId)
                .map(release -> ReleaseView.of(release, reads.steps(releaseId)))
                .orElseThrow(() -> ProblemException.notFound("no release " + id));
    }

    @GET
    public List<ReleaseView> history(
            @QueryParam("service") @NotNull @Pattern(regexp = ServiceSpecResource.NAME) String serviceName,
            @QueryParam("environment") @NotNull @Pattern(regexp = ServiceSpecResource.NAME) String environment) {
        return reads.history(serviceName, environment).stream()
                .map(release -> ReleaseView.of(release, reads.steps(release.id)))
                .toList();
    }

    @POST
    @RolesAllowed(Roles.RELEASER)
    @Path("/{id}/rollback")
    public Response rollback(@PathParam("id") String id, @QueryParam("reason") @Size(max = 500) @Pattern(regexp = dev.switchback.web.Names.TEXT,
            message = "must not contain control characters") String reason) {
        Release release = commands.rollback(guard(id), reason);
        return Response.accepted(Map.of("id", release.id, "phase", release.phase)).build();
    }

    /** Ends the bake now: blue is retired. */
    @POST
    @RolesAllowed(Roles.RELEASER)
    @Path("/{id}/promote")
    public Response promote(@PathParam("id") String id, @QueryParam("reason") @Size(max = 500) @Pattern(regexp = dev.switchback.web.Names.TEXT,
            message = "must not contain control characters") String reason) {
        Release release = commands.promote(guard(id), reason);
        return Response.accepted(Map.of("id", release.id, "phase", release.phase)).build();
    }

    /** Stops a release that has not gone live; its green is torn down. */
    @POST
    @RolesAllowed(Roles.RELEASER)
    @Path("/{id}/abort")
    public Response abort(@PathParam("id") String id, @QueryParam("reason") @Size(max = 500) @Pattern(regexp = dev.switchback.web.Names.TEXT,
            message = "must not contain control characters") String reason) {
        Release release = commands.abort(guard(id), reason);
        return Response.ok(Map.of("id", release.id, "phase", release.phase, "reason", release.reason)).build();
    }

    /** Approves a release awaiting approval; the approver is the token's subject and must not be the requester. */
    @POST
    @RolesAllowed(Roles.APPROVER)
    @Path("/{id}/approve")
    public Response approve(@PathParam("id") String id, @QueryParam("comment") @Size(max = 2000)
            @Pattern(regexp = Names.TEXT, message = "must not contain control characters") String comment) {
        Release release = approvals.approve(guard(id), access.subject(), blankToNull(comment));
        return Response.ok(Map.of("id", release.id, "phase", release.phase, "approvedBy", release.approvedBy)).build();
    }

    /** Rejects a release awaiting approval: it is cancelled. */
    @POST
    @RolesAllowed(Roles.APPROVER)
    @Path("/{id}/reject")
    public Response reject(@PathParam("id") String id, @QueryParam("comment") @Size(max = 2000)
            @Pattern(regexp = Names.TEXT, message = "must not contain control characters") String comment) {
        Release release = approvals.reject(guard(id), access.subject(), blankToNull(comment));
        return Response.ok(Map.of("id", release.id, "phase", release.phase, "reason", release.reason)).build();
    }

    private static String blankToNull(String comment) {
        return comment == null || comment.isBlank() ? null : comment;
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
            throw ProblemException.notFound("no release " + id);
        }
    }
}
