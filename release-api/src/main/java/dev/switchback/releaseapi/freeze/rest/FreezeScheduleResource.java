package dev.switchback.releaseapi.freeze.rest;

import dev.switchback.releaseapi.freeze.service.FreezeService;
import dev.switchback.releaseapi.freeze.FreezeSchedule;
import dev.switchback.releaseapi.servicespec.rest.ServiceSpecResource;
import dev.switchback.web.Problem;
import dev.switchback.web.ProblemException;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
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
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Recurring freezes of an environment, e.g. every Friday 18:00 to Monday 08:00 is three schedules or one overnight. */
@RolesAllowed(Roles.VIEWER)
@Path("/environments/{environment}/freeze-schedules")
@Produces(MediaType.APPLICATION_JSON)
public class FreezeScheduleResource extends EnvironmentFreezes {

    /**
     * A recurring freeze as given and shown.
     *
     * @param days   the days a freeze starts on: {@code MON}…{@code SUN} or full names
     * @param from   local start time, e.g. {@code 18:00}
     * @param to     local end time; when not after {@code from}, on the next day
     * @param zone   IANA time zone of the times
     * @param reason why the environment is frozen
     */
    public record ScheduleRequest(@NotEmpty @Size(max = 7) List<@NotNull @Pattern(regexp = "(?i)mon(day)?|tue(sday)?|wed(nesday)?|thu(rsday)?|fri(day)?|sat(urday)?|sun(day)?",
            message = "must be a day of the week such as FRI or FRIDAY") String> days,
                                  @NotNull LocalTime from, @NotNull LocalTime to,
                                  @NotBlank @Size(max = 64) String zone, @NotBlank @Size(max = 500)
                                @Pattern(regexp = dev.switchback.web.Names.TEXT, message = "must not contain control characters") String reason) {
    }

    /**
     * A recurring freeze.
     *
     * @param id     its id
     * @param days   the days a freeze starts on
     * @param from   local start time
     * @param to     local end time
     * @param zone   its zone
     * @param reason why
     */
    public record ScheduleView(UUID id, Set<DayOfWeek> days, LocalTime from, LocalTime to, String zone, String reason) {

        static ScheduleView of(FreezeSchedule schedule) {
            return new ScheduleView(schedule.id, schedule.dayset(), schedule.fromTime, schedule.toTime, schedule.zone,
                    schedule.reason);
        }
    }

    private final Clock clock;

    public FreezeScheduleResource(Clock clock, FreezeService freezes, Access access) {
        super(freezes, access, FreezeSchedule.class, "freeze schedule");
        this.clock = clock;
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("environment") @Pattern(regexp = ServiceSpecResource.NAME) String environment,
                           @NotNull @Valid ScheduleRequest request) {
        access.requireEnvironment(environment);
        if (request.from().equals(request.to())) {
            throw new ProblemException(400, "Bad Request", "a freeze of no time, or of a whole day, is ambiguous",
                    List.of(new Problem.Violation("to", "must differ from from")));
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String day : request.days()) {
            String prefix = day.substring(0, 3).toUpperCase(java.util.Locale.ROOT);
            days.add(EnumSet.allOf(DayOfWeek.class).stream().filter(d -> d.name().startsWith(prefix)).findFirst()
                    .orElseThrow());
        }
        FreezeSchedule schedule = new FreezeSchedule();
        schedule.id = UUID.randomUUID();
        schedule.environment = environment;
        schedule.days = FreezeSchedule.join(days);
        schedule.fromTime = request.from();
        schedule.toTime = request.to();
        schedule.zone = zone(request.zone()).getId();
        schedule.reason = request.reason();
        schedule.createdAt = clock.instant();
        freezes.create(environment, schedule, action("create"), ScheduleView.of(schedule).toString());
        return Response.status(201).entity(ScheduleView.of(schedule)).build();
    }

    @GET
    public List<ScheduleView> list(@PathParam("environment") @Pattern(regexp = ServiceSpecResource.NAME) String environment) {
        return FreezeSchedule.of(environment).stream().map(ScheduleView::of).toList();
    }
}
