package dev.switchback.releaseapi.dora.rest;

import dev.switchback.releaseapi.dora.DoraFigures;
import dev.switchback.releaseapi.dora.service.DoraService;
import dev.switchback.releaseapi.servicespec.rest.ServiceSpecResource;
import dev.switchback.web.Problem;
import dev.switchback.web.ProblemException;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The DORA figures of the releases Switchback ran, per service and environment, over a window ending now. */
@RolesAllowed(Roles.VIEWER)
@Path("/metrics/dora")
@Produces(MediaType.APPLICATION_JSON)
public class DoraResource {

    /** SHORTEST, LONGEST: the window's bounds; longer windows would read a service's whole history at once. */
    static final Duration SHORTEST = Duration.ofMinutes(1);
    static final Duration LONGEST = Duration.ofDays(366);

    /**
     * The answer.
     *
     * @param window  the window asked for, as given (ISO-8601 duration)
     * @param from    its start
     * @param to      its end: now
     * @param figures one entry per service and environment with releases in the window
     */
    public record Report(String window, Instant from, Instant to, List<DoraFigures> figures) {
    }

    private final DoraService dora;
    private final Access access;
    private final Clock clock;

    public DoraResource(DoraService dora, Access access, Clock clock) {
        this.dora = dora;
        this.access = access;
        this.clock = clock;
    }

    @GET
    public Report dora(@QueryParam("service") @Pattern(regexp = ServiceSpecResource.NAME,
                               message = "must be lower-case letters, digits and dashes") String service,
                       @QueryParam("environment") @Pattern(regexp = ServiceSpecResource.NAME,
                               message = "must be lower-case letters, digits and dashes") String environment,
                       @QueryParam("window") @DefaultValue("P7D") String window) {
        Duration length = window(window);
        if (environment != null) {
            access.requireEnvironment(environment);
        }
        Instant to = clock.instant();
        Instant from = to.minus(length);
        return new Report(window, from, to, dora.figures(service, environment, access.environments().orElse(null), from, to));
    }

    private static Duration window(String window) {
        Duration length;
        try {
            length = Duration.parse(window);
        } catch (DateTimeParseException e) {
            throw invalidWindow("must be an ISO-8601 duration such as P7D, PT12H or P30DT12H");
        }
        if (length.compareTo(SHORTEST) < 0 || length.compareTo(LONGEST) > 0) {
            throw invalidWindow("must be from PT1M to P366D");
        }
        return length;
    }

    private static ProblemException invalidWindow(String message) {
        return new ProblemException(400, "Bad Request", "window " + message,
                List.of(new Problem.Violation("window", message)));
    }
}
