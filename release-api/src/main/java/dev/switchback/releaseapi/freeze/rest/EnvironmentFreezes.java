package dev.switchback.releaseapi.freeze.rest;

import dev.switchback.releaseapi.freeze.service.FreezeService;
import dev.switchback.releaseapi.servicespec.rest.ServiceSpecResource;
import dev.switchback.web.Problem;
import dev.switchback.web.ProblemException;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/** What the two kinds of freeze resources share: the environment check, the audited create, and the delete. */
public abstract class EnvironmentFreezes {

    protected final FreezeService freezes;
    protected final Access access;
    private final Class<? extends PanacheEntityBase> kind;
    private final String noun;

    protected EnvironmentFreezes(FreezeService freezes, Access access, Class<? extends PanacheEntityBase> kind, String noun) {
        this.freezes = freezes;
        this.access = access;
        this.kind = kind;
        this.noun = noun;
    }

    /** Ends one freeze of the environment: 204, or 404 when it has none with that id. */
    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("environment") @Pattern(regexp = ServiceSpecResource.NAME) String environment,
                           @PathParam("id") UUID id) {
        access.requireEnvironment(environment);
        if (!freezes.delete(kind, environment, id, action("delete"), noun)) {
            throw ProblemException.notFound("no " + noun + " " + id + " in " + environment);
        }
        return Response.noContent().build();
    }

    /** The audit action of a change to this kind of freeze, e.g. {@code freeze.create}. */
    protected String action(String verb) {
        return noun.replace(' ', '-') + "." + verb;
    }

    /** The zone named, or a 400 naming the field. */
    static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw new ProblemException(400, "Bad Request", "unknown time zone " + name,
                    List.of(new Problem.Violation("zone", "must be an IANA time zone such as Europe/Berlin")));
        }
    }
}
