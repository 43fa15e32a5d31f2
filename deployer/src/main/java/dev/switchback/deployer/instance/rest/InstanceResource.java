package dev.switchback.deployer.instance.rest;

import dev.switchback.deployer.instance.Instance;
import dev.switchback.deployer.instance.InstanceState;
import dev.switchback.deployer.instance.service.Reaper;
import dev.switchback.web.Names;
import dev.switchback.web.ProblemException;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** The instances the deployer runs, for operators: an isolated green is found here and retired by hand. */
@RolesAllowed(Roles.VIEWER)
@Path("/instances")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {

    /**
     * One instance.
     *
     * @param id        deterministic id: service, environment and the release's id prefix
     * @param releaseId release that started it
     * @param service   service
     * @param environment environment
     * @param version   version it runs
     * @param state     STARTING, READY, LIVE, WARM, DRAINING, ISOLATED or RETIRED
     * @param endpoint  its own address, reachable directly for debugging
     * @param reason    why it is in its state
     * @param updatedAt when its state last changed
     */
    public record InstanceView(String id, String releaseId, String service, String environment, String version,
                               InstanceState state, String endpoint, String reason, Instant updatedAt) {
        static InstanceView of(Instance i) {
            return new InstanceView(i.id, i.releaseId, i.service, i.environment, i.version, i.state, i.endpoint,
                    i.reason, i.updatedAt);
        }
    }

    private final Reaper reaper;
    private final Access access;

    public InstanceResource(Reaper reaper, Access access) {
        this.reaper = reaper;
        this.access = access;
    }

    @GET
    public List<InstanceView> list(@QueryParam("service") @Pattern(regexp = Names.NAME) String service,
                                   @QueryParam("environment") @Pattern(regexp = Names.NAME) String environment) {
        return Instance.listed(service, environment).stream().map(InstanceView::of).toList();
    }

    /** Retires an isolated, warm or draining instance now: it is stopped and its resources released. */
    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/retire")
    public InstanceView retire(@PathParam("id") @Size(max = 200) String id,
                               @QueryParam("reason") @Size(max = 500) String reason) {
        Instance instance = Instance.<Instance>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("no instance " + id));
        access.requireEnvironment(instance.environment);
        return reaper.retireByHand(id, reason).map(InstanceView::of)
                .orElseThrow(() -> ProblemException.notFound("no instance " + id));
    }
}
