package dev.switchback.releaseapi.freeze.rest;

import dev.switchback.releaseapi.freeze.service.FreezeService;
import dev.switchback.releaseapi.freeze.FreezeWindow;
import dev.switchback.releaseapi.servicespec.rest.ServiceSpecResource;
import dev.switchback.web.Problem;
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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;

/** Freeze windows of an environment: while one is on, its releases queue instead of running. */
@RolesAllowed(Roles.VIEWER)
@Path("/environments/{environment}/freezes")
@Produces(MediaType.APPLICATION_JSON)
public class FreezeResource extends EnvironmentFreezes {

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

    public FreezeResource(Clock clock, FreezeService freezes, Access access) {
        super(freezes, access, FreezeWindow.class, "freeze");
        this.clock = clock;
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
        freezes.create(environment, window, action("create"), FreezeView.of(window).toString());
        return Response.status(201).entity(FreezeView.of(window)).build();
    }


    @GET
    public List<FreezeView> list(@PathParam("environment") @Pattern(regexp = ServiceSpecResource.NAME) String environment) {
        return FreezeWindow.upcoming(environment, clock.instant()).stream().map(FreezeView::of).toList();
    }
}
