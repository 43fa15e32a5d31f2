package dev.switchback.releaseapi.servicespec.rest;

import dev.switchback.releaseapi.servicespec.service.ServiceSpecService;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Which services are registered in which environments, as far as the token may see: what a dashboard lists. */
@RolesAllowed(Roles.VIEWER)
@Path("/services")
@Produces(MediaType.APPLICATION_JSON)
public class ServiceListResource {

    /**
     * One registered service spec.
     *
     * @param service     the service
     * @param environment the environment it is registered in
     */
    public record Registered(String service, String environment) {
    }

    private final ServiceSpecService specs;
    private final Access access;

    public ServiceListResource(ServiceSpecService specs, Access access) {
        this.specs = specs;
        this.access = access;
    }

    @GET
    public List<Registered> registered() {
        Optional<Set<String>> environments = access.environments();
        return specs.registered().stream()
                .map(key -> new Registered(key.service(), key.environment()))
                .filter(r -> environments.isEmpty() || environments.get().contains(r.environment()))
                .toList();
    }
}
