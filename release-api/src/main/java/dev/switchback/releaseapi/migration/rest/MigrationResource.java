package dev.switchback.releaseapi.migration.rest;

import dev.switchback.lint.ChangeKind;
import dev.switchback.lint.LintReport;
import dev.switchback.lint.MigrationLinter;
import dev.switchback.releaseapi.migration.service.MigrationPlanner;
import dev.switchback.releaseapi.release.rest.ReleaseRequest;
import dev.switchback.releaseapi.servicespec.rest.ServiceSpecResource;
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

import java.util.List;

/** The lint and the dry run, for CI to call on a pull request before any release exists. */
@RolesAllowed(Roles.VIEWER)
@Path("/migrations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MigrationResource {

    /**
     * The body of {@code POST /migrations/lint}.
     *
     * @param sql        the statements of one migration
     * @param changeKind {@code expand} (default) or {@code contract}
     * @param phase      the change kind under its earlier name, still read
     */
    public record LintRequest(@NotBlank @Size(max = 1_000_000) String sql,
                              @Pattern(regexp = "expand|contract", message = "must be expand or contract") String changeKind,
                              @Pattern(regexp = "expand|contract", message = "must be expand or contract") String phase) {

        /** The change kind from either name. */
        ChangeKind kind() {
            return ChangeKind.of(changeKind != null ? changeKind : phase);
        }
    }

    /**
     * The body of {@code POST /migrations/plan}.
     *
     * @param service     service whose target database the migrations are for
     * @param environment environment
     * @param migrations  the migrations a release would carry
     * @param changeKind  {@code expand} (default) or {@code contract}
     * @param phase       the change kind under its earlier name, still read
     */
    public record PlanRequest(
            @NotNull @Pattern(regexp = ServiceSpecResource.NAME) String service,
            @NotNull @Pattern(regexp = ServiceSpecResource.NAME) String environment,
            @NotNull @Size(min = 1, max = 100) List<ReleaseRequest.@NotNull @Valid MigrationRequest> migrations,
            @Pattern(regexp = "expand|contract", message = "must be expand or contract") String changeKind,
            @Pattern(regexp = "expand|contract", message = "must be expand or contract") String phase) {

        /** The change kind from either name. */
        ChangeKind kind() {
            return ChangeKind.of(changeKind != null ? changeKind : phase);
        }
    }

    /**
     * What a release would do to the target database.
     *
     * @param service     service
     * @param environment environment
     * @param steps       the migrations in the order they would run, each pending or already applied
     * @param lint        the lint's verdict on them
     */
    public record Plan(String service, String environment, List<PlannedMigration> steps, LintReport lint) {
    }

    /**
     * One migration of a plan.
     *
     * @param version     version
     * @param description description
     * @param state       {@code pending} (would run) or {@code applied} (already in the target's history: skipped)
     */
    public record PlannedMigration(String version, String description, String state) {
    }

    private final MigrationPlanner planner;

    public MigrationResource(MigrationPlanner planner) {
        this.planner = planner;
    }

    @POST
    @Path("/lint")
    public LintReport lint(@NotNull @Valid LintRequest request) {
        return MigrationLinter.lint(List.of(new MigrationLinter.Script("1", request.sql())), request.kind());
    }

    @POST
    @Path("/plan")
    public Plan plan(@NotNull @Valid PlanRequest request) {
        MigrationPlanner.DryRun run = planner.dryRun(request.service(), request.environment(), request.migrations(),
                request.kind());
        return new Plan(request.service(), request.environment(), run.ordered().stream()
                .map(m -> new PlannedMigration(m.version(), m.description(),
                        run.applied().contains(m.version()) ? "applied" : "pending"))
                .toList(), run.lint());
    }
}
