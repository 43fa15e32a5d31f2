package dev.switchback.releaseapi.dashboard.rest;

import dev.switchback.releaseapi.dashboard.service.StageReads;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.service.ReleaseReads;
import dev.switchback.web.ProblemException;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.UUID;

/**
 * The intervals analysis judged for a release, as the switcher that judged them keeps them, read through release-api so
 * a dashboard needs one address and one token. A root resource of its own: {@code /releases} would otherwise take the
 * path and find no method for it.
 */
@RolesAllowed(Roles.VIEWER)
@Path("/releases/{id}/analysis")
@Produces(MediaType.APPLICATION_JSON)
public class AnalysisViewResource {

    private final StageReads stages;
    private final ReleaseReads reads;
    private final Access access;

    public AnalysisViewResource(StageReads stages, ReleaseReads reads, Access access) {
        this.stages = stages;
        this.reads = reads;
        this.access = access;
    }

    /** The intervals analysis judged for a release, oldest first, as the switcher that judged them keeps them. */
    @GET
    public Response analysis(@PathParam("id") String id, @HeaderParam("Authorization") String authorization) {
        UUID releaseId;
        try {
            releaseId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no release " + id);
        }
        Release release = reads.find(releaseId).orElseThrow(() -> ProblemException.notFound("no release " + id));
        access.requireEnvironment(release.environment);
        return InstanceViewResource.passOn(stages.analysis(releaseId.toString(), authorization));
    }
}
