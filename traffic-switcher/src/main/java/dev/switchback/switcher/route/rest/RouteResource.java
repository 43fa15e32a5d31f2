package dev.switchback.switcher.route.rest;

import dev.switchback.switcher.route.service.SwitchService;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** What each router serves now, for operators. */
@RolesAllowed(Roles.VIEWER)
@Path("/routes")
@Produces(MediaType.APPLICATION_JSON)
public class RouteResource {

    /**
     * One route.
     *
     * @param service     service
     * @param environment environment
     * @param route       the route's name, {@code <service>.<environment>}
     * @param driver      router driver
     * @param port        port users call
     * @param endpoint    instance taking the traffic
     * @param version     its version
     * @param releaseId   release that put it there
     */
    public record RouteView(String service, String environment, String route, String driver, int port, String endpoint,
                            String version, String releaseId) {
    }

    private final SwitchService switches;

    public RouteResource(SwitchService switches) {
        this.switches = switches;
    }

    @GET
    public List<RouteView> routes() {
        return switches.routes().stream()
                .map(r -> new RouteView(r.id.service(), r.id.environment(), r.id.name(), r.driver, r.port, r.liveEndpoint,
                        r.liveVersion, r.liveReleaseId))
                .toList();
    }
}
