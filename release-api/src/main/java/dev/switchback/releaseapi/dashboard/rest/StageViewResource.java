package dev.switchback.releaseapi.dashboard.rest;

import dev.switchback.releaseapi.dashboard.service.StageReads;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.service.ReleaseReads;
import dev.switchback.web.Names;
import dev.switchback.web.ProblemException;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.UUID;

/**
 * The other stages' views a dashboard shows beside a release, read through release-api so a browser needs one
 * address and one token: a service's instances (the deployer's) and a release's judged analysis intervals (the
 * switcher's).
 */
@RolesAllowed(Roles.VIEWER)
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class StageViewResource {

    private final StageReads stages;
    private final ReleaseReads reads;
    private final Access access;

    public StageViewResource(StageReads stages, ReleaseReads reads, Access access) {
        this.stages = stages;
        this.reads = reads;
        this.access = access;
    }

    /** The deployer's instances of a service in an environment: live, warm, draining, isolated, … */
    @GET
    @Path("instances")
    public Response instances(@QueryParam("service") @NotNull @Pattern(regexp = Names.NAME) String service,
                              @QueryParam("environment") @NotNull @Pattern(regexp = Names.NAME) String environment,
                              @HeaderParam("Authorization") String authorization) {
        access.requireEnvironment(environment);
        return passOn(stages.instances(service, environment, authorization));
    }

    /** The intervals analysis judged for a release, oldest first, as the switcher that judged them keeps them. */
    @GET
    @Path("releases/{id}/analysis")
    public Response analysis(@PathParam("id") String id, @HeaderParam("Authorization") String authorization) {
        UUID releaseId;
        try {
            releaseId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no release " + id);
        }
        Release release = reads.find(releaseId).orElseThrow(() -> ProblemException.notFound("no release " + id));
        access.requireEnvironment(release.environment);
        return passOn(stages.analysis(releaseId.toString(), authorization));
    }

    private static Response passOn(StageReads.Answer answer) {
        return Response.status(answer.status()).type(answer.contentType()).entity(answer.body()).build();
    }
}
