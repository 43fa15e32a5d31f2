package dev.switchback.releaseapi.dashboard.rest;

import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Set;

/**
 * Who the token is, for a client that shows only what its caller may do (the dashboard's buttons). The API still
 * decides every call; this only saves offering what would be refused.
 */
@RolesAllowed(Roles.VIEWER)
@Path("/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    /**
     * The caller.
     *
     * @param subject      the token's subject, as the audit trail records it
     * @param roles        the roles it holds, implied ones included, in the order viewer, releaser, approver, admin
     * @param environments the environments it is limited to; null when it is not limited
     */
    public record Me(String subject, List<String> roles, Set<String> environments) {
    }

    private final Access access;

    public MeResource(Access access) {
        this.access = access;
    }

    @GET
    public Me me() {
        List<String> roles = List.of(Roles.VIEWER, Roles.RELEASER, Roles.APPROVER, Roles.ADMIN).stream()
                .filter(access::hasRole).toList();
        return new Me(access.subject(), roles, access.environments().orElse(null));
    }
}
