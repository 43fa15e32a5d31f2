package dev.switchback.migrator.fence.rest;

import dev.switchback.events.DatabaseSpec;
import dev.switchback.migrator.fence.TargetDatabase;
import dev.switchback.migrator.fence.service.FenceService;
import dev.switchback.web.ProblemException;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** Stamps a target database with the service and environment it belongs to: an explicit, audited act. */
@RolesAllowed(Roles.ADMIN)
@Path("/databases/stamp")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class StampResource {

    /** NAME: the shape of service and environment names. */
    static final String NAME = dev.switchback.web.Names.NAME;

    /**
     * The body of a stamp request.
     *
     * @param service     the service the database belongs to
     * @param environment its environment
     * @param url         the database's JDBC URL
     * @param username    the user to connect as
     * @param passwordEnv environment variable of the db-migrator holding the password
     */
    public record StampRequest(@NotNull @Pattern(regexp = NAME) String service,
                               @NotNull @Pattern(regexp = NAME) String environment,
                               @NotBlank @Size(max = 1000) @Pattern(regexp = "jdbc:postgresql://.+") String url,
                               @NotBlank @Size(max = 128) String username,
                               @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}") String passwordEnv) {
    }

    private final FenceService fence;
    private final Access access;

    public StampResource(FenceService fence, Access access) {
        this.fence = fence;
        this.access = access;
    }

    @POST
    public Response stamp(@NotNull @Valid StampRequest request) {
        access.requireEnvironment(request.environment());
        try {
            TargetDatabase.Identity identity = fence.stamp(request.service(), request.environment(),
                    new DatabaseSpec(request.url(), request.username(), request.passwordEnv()));
            return Response.ok(Map.of("service", request.service(), "environment", request.environment(),
                    "database", identity.databaseName(),
                    "systemIdentifier", identity.systemIdentifier() == null ? "" : identity.systemIdentifier())).build();
        } catch (FenceService.Refused e) {
            throw ProblemException.conflict(e.getMessage());
        }
    }
}
