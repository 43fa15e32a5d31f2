package dev.switchback.releaseapi.dashboard.rest;

import dev.switchback.releaseapi.dashboard.service.StageReads;
import dev.switchback.web.Names;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A service's instances as the deployer knows them, read through release-api so a dashboard needs one address and one
 * token.
 */
@RolesAllowed(Roles.VIEWER)
@Path("/instances")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceViewResource {

    private final StageReads stages;
    private final Access access;

    public InstanceViewResource(StageReads stages, Access access) {
        this.stages = stages;
        this.access = access;
    }

    /** The deployer's instances of a service in an environment: live, warm, draining, isolated, … */
    @GET
    public Response instances(@QueryParam("service") @NotNull @Pattern(regexp = Names.NAME) String service,
                              @QueryParam("environment") @NotNull @Pattern(regexp = Names.NAME) String environment,
                              @HeaderParam("Authorization") String authorization) {
        access.requireEnvironment(environment);
        return passOn(stages.instances(service, environment, authorization));
    }

    static Response passOn(StageReads.Answer answer) {
        return Response.status(answer.status()).type(answer.contentType()).entity(answer.body()).build();
    }
}
