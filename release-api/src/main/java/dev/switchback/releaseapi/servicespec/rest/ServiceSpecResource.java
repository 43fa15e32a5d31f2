package dev.switchback.releaseapi.servicespec.rest;

import dev.switchback.releaseapi.servicespec.ServiceSpecBody;
import dev.switchback.releaseapi.servicespec.service.ServiceSpecService;
import dev.switchback.web.ProblemException;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Registers how a service is run, routed and migrated in an environment. */
@RolesAllowed(Roles.VIEWER)
@Path("/services/{service}/environments/{environment}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ServiceSpecResource {

    /** NAME: the shape of service and environment names, usable in hosts, paths and database names. */
    public static final String NAME = dev.switchback.web.Names.NAME;

    private final ServiceSpecService service;
    private final Access access;

    public ServiceSpecResource(ServiceSpecService service, Access access) {
        this.service = service;
        this.access = access;
    }

    @RolesAllowed(Roles.ADMIN)
    @PUT
    public Response register(@PathParam("service") @Pattern(regexp = NAME) String name,
                             @PathParam("environment") @Pattern(regexp = NAME) String environment,
                             @NotNull @Valid ServiceSpecBody body) {
        access.requireEnvironment(environment);
        boolean created = service.register(name, environment, body);
        return Response.status(created ? 201 : 200).entity(body).build();
    }

    @GET
    public ServiceSpecBody get(@PathParam("service") @Pattern(regexp = NAME) String name,
                               @PathParam("environment") @Pattern(regexp = NAME) String environment) {
        return service.find(name, environment)
                .orElseThrow(() -> ProblemException.notFound("no spec for service " + name + " in " + environment));
    }
}
