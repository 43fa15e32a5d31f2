package dev.switchback.releaseapi.freeze.rest;

import dev.switchback.audit.AuditLog;
import dev.switchback.releaseapi.freeze.FreezeWindow;
import dev.switchback.releaseapi.servicespec.rest.ServiceSpecResource;
import dev.switchback.web.Problem;
import dev.switchback.web.ProblemException;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;

/** Freeze windows of an environment: while one is on, its releases queue instead of running. */
@RolesAllowed(Roles.VIEWER)
@Path("/environments/{environment}/freezes")
@Produces(MediaType.APPLICATION_JSON)
public class FreezeResource {

    /**
     * A freeze window as given and shown.
     *
     * @param start  local start, e.g. {@code 2026-12-24T00:00}
     * @param end    local end
     * @param zone   IANA time zone the local times are in, e.g. {@code Europe/Berlin}
     * @param reason why the environment is frozen
     */
    public record FreezeRequest(@NotNull LocalDateTime start, @NotNull LocalDateTime end,
                                @NotBlank @Size(max = 64) String zone, @NotBlank @Size(max = 500)
                                @Pattern(regexp = dev.switchback.web.Names.TEXT, message = "must not contain control characters") String reason) {
    }

    /**
     * A freeze window.
     *
     * @param id     its id
     * @param start  start in its zone
     * @param end    end in its zone
     * @param zone   its zone
     * @param reason why
     */
    public record FreezeView(UUID id, ZonedDateTime start, ZonedDateTime end, String zone, String reason) {

        static FreezeView of(FreezeWindow window) {
            ZoneId zone = ZoneId.of(window.zone);
            return new FreezeView(window.id, window.startsAt.atZone(zone), window.endsAt.atZone(zone), window.zone,
                    window.reason);
        }
    }

    private final Clock clock;
    private final AuditLog audit;
    private final Access access;

    public FreezeResource(Clock clock, AuditLog audit, Access access) {
        this.access = access;
        this.clock = clock;
        this.audit = audit;
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("environment") @Pattern(regexp = ServiceSpecResource.NAME) String environment,
                           @NotNull @Valid FreezeRequest request) {
        access.requireEnvironment(environment);
        ZoneId zone = zone(request.zone());
        FreezeWindow window = new FreezeWindow();
        window.id = UUID.randomUUID();
        window.environment = environment;
        window.startsAt = request.start().atZone(zone).toInstant();
        window.endsAt = request.end().atZone(zone).toInstant();
        window.zone = zone.getId();
        window.reason = request.reason();
        window.createdAt = clock.instant();
        if (!window.endsAt.isAfter(window.startsAt)) {
            throw new ProblemException(400, "Bad Request", "a freeze ends after it starts",
                    List.of(new Problem.Violation("end", "must be after start")));
        }
        QuarkusTransaction.requiringNew().run(() -> {
            window.persist();
            audit.append("freeze.create", null, environment, null, FreezeView.of(window).toString());
        });
        return Response.status(201).entity(FreezeView.of(window)).build();
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

    @GET
    public List<FreezeView> list(@PathParam("environment") @Pattern(regexp = ServiceSpecResource.NAME) String environment) {
        return FreezeWindow.upcoming(environment, clock.instant()).stream().map(FreezeView::of).toList();
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("environment") @Pattern(regexp = ServiceSpecResource.NAME) String environment,
                           @PathParam("id") UUID id) {
        access.requireEnvironment(environment);
        long deleted = QuarkusTransaction.requiringNew().call(() -> {
            long count = FreezeWindow.delete("id = ?1 and environment = ?2", id, environment);
            if (count > 0) {
                audit.append("freeze.delete", null, environment, null, "freeze " + id);
            }
            return count;
        });
        if (deleted == 0) {
            throw ProblemException.notFound("no freeze " + id + " in " + environment);
        }
        return Response.noContent().build();
    }
}
