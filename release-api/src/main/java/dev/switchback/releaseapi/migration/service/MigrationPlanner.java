package dev.switchback.releaseapi.migration.service;

import dev.switchback.events.Migration;
import dev.switchback.lint.ChangeKind;
import dev.switchback.lint.LintReport;
import dev.switchback.lint.LintViolation;
import dev.switchback.lint.MigrationLinter;
import dev.switchback.releaseapi.migration.AppliedMigration;
import dev.switchback.releaseapi.release.rest.ReleaseRequest;
import dev.switchback.web.Problem;
import dev.switchback.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import org.flywaydb.core.api.MigrationVersion;

import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides what a release's migrations may do and where they run, for {@code POST /releases} and for the dry run of
 * {@code POST /migrations/plan} alike: the lint for the change kind, and for a split the contract migrations set apart
 * for a contract release of their own.
 */
@ApplicationScoped
public class MigrationPlanner {

    /**
     * The migrations of a release, and of the contract release split from it (empty when there is none).
     *
     * @param code       the migrations that ride with the release
     * @param contract   the contract migrations a split sets apart
     * @param overridden the violations the release's overrides let through
     */
    public record Split(List<Migration> code, List<Migration> contract, List<LintViolation> overridden) {
    }

    /**
     * What a release would do to its target database.
     *
     * @param ordered the migrations in the order they would run
     * @param applied the versions the target has already (skipped when shipped again)
     * @param lint    the lint's verdict on those that would run
     */
    public record DryRun(List<ReleaseRequest.MigrationRequest> ordered, Set<String> applied, LintReport lint) {
    }

    /** The dry run of migrations against what the target database has, as the db-migrator reported it. */
    public DryRun dryRun(String service, String environment, List<ReleaseRequest.MigrationRequest> migrations,
                         ChangeKind kind) {
        Set<String> applied = Set.copyOf(AppliedMigration.versions(service, environment));
        List<ReleaseRequest.MigrationRequest> ordered = migrations.stream()
                .sorted(Comparator.comparing(m -> MigrationVersion.fromVersion(m.version())))
                .toList();
        LintReport lint = MigrationLinter.lint(ordered.stream().filter(m -> !applied.contains(m.version()))
                .map(m -> new MigrationLinter.Script(m.version(), m.sql(), m.backfill())).toList(), kind);
        return new DryRun(ordered, applied, lint);
    }

    /**
     * Lints a release's migrations for its change kind and decides what runs where: operational hazards are refused
     * for every kind; contract statements ride with code only as a contract release of their own when the request
     * says split. An override lets its rule's violations through, and must name a rule the migrations violate, so no
     * override lingers unnoticed. Refusals are 400/422 problems naming each statement and line.
     */
    public Split plan(List<ReleaseRequest.MigrationRequest> requests, ChangeKind kind, boolean split,
                      Set<String> overriddenRules) {
        Set<String> versions = new HashSet<>();
        for (ReleaseRequest.MigrationRequest migration : requests) {
            if (!versions.add(migration.version())) {
                throw new ProblemException(400, "Bad Request", "migration version " + migration.version() + " appears twice",
                        List.of(new Problem.Violation("migrations", "versions must be unique")));
            }
        }
        if (kind == ChangeKind.CONTRACT && (requests.isEmpty() || split)) {
            throw new ProblemException(400, "Bad Request", requests.isEmpty()
                    ? "a contract release applies migrations and nothing else: it needs at least one"
                    : "split applies to expand releases; a contract release is already what a split makes",
                    List.of(new Problem.Violation(requests.isEmpty() ? "migrations" : "split", "not with change kind contract")));
        }
        List<Migration> all = requests.stream()
                .map(m -> new Migration(m.version(), m.description() == null ? "" : m.description(), m.sql(),
                        m.kind(), m.batchSize(), m.pauseMillis())).toList();
        LintReport report = MigrationLinter.lint(scripts(all), kind, overriddenRules);
        Set<String> used = report.overridden().stream().map(LintViolation::rule).collect(Collectors.toSet());
        List<String> idle = overriddenRules.stream().filter(rule -> !used.contains(rule)).toList();
        if (!idle.isEmpty()) {
            throw new ProblemException(422, "Unprocessable Content", "allowUnsafe overrides nothing: no migration of"
                    + " this release violates " + String.join(", ", idle) + "; remove the override",
                    idle.stream().map(rule -> new Problem.Violation("allowUnsafe", rule + " overrides nothing")).toList());
        }
        List<LintViolation> hazards = report.violations().stream().filter(v -> !v.destructive()).toList();
        if (!hazards.isEmpty()) {
            throw new ProblemException(422, "Unprocessable Content", "the lint refuses " + hazards.size()
                    + " statement(s): " + describe(hazards), violations(hazards));
        }
        // An overridden contract rule rides with code: the team said the live version no longer needs what it changes.
        List<LintViolation> contract = report.contract().stream().filter(v -> !used.contains(v.rule())).toList();
        if (kind == ChangeKind.CONTRACT || contract.isEmpty()) {
            return new Split(all, List.of(), report.overridden());
        }
        if (!split) {
            throw new ProblemException(422, "Unprocessable Content", "contract changes cannot ride with code: "
                    + describe(contract) + ". Ship the code with the other migrations first, then these in a"
                    + " contract release (\"changeKind\": \"contract\") once no live version uses what they change;"
                    + " or send \"split\": true to have both releases made, the contract release following the code.",
                    violations(contract));
        }
        return splitOff(all, contract, report.overridden());
    }

    private static List<MigrationLinter.Script> scripts(List<Migration> migrations) {
        return migrations.stream().map(m -> new MigrationLinter.Script(m.version(), m.sql(), m.backfill())).toList();
    }

    private static Split splitOff(List<Migration> all, List<LintViolation> contractViolations,
                                  List<LintViolation> overridden) {
        Set<String> contractVersions = new LinkedHashSet<>();
        contractViolations.forEach(v -> contractVersions.add(v.migration()));
        for (String version : contractVersions) {
            Migration migration = all.stream().filter(m -> m.version().equals(version)).findFirst().orElseThrow();
            LintReport alone = MigrationLinter.lint(scripts(List.of(migration)), ChangeKind.CONTRACT);
            long destructiveStatements = alone.contract().stream().map(LintViolation::index).distinct().count();
            if (destructiveStatements < alone.statements()) {
                throw new ProblemException(422, "Unprocessable Content", "migration " + version
                        + " mixes expand and contract statements; split it into two migrations so each can ride its own release",
                        List.of(new Problem.Violation("migrations", "migration " + version + " mixes expand and contract")));
            }
        }
        List<Migration> code = all.stream().filter(m -> !contractVersions.contains(m.version())).toList();
        List<Migration> contract = all.stream().filter(m -> contractVersions.contains(m.version())).toList();
        MigrationVersion highestExpand = code.stream().map(m -> MigrationVersion.fromVersion(m.version()))
                .max(Comparable::compareTo).orElse(MigrationVersion.EMPTY);
        for (Migration m : contract) {
            if (MigrationVersion.fromVersion(m.version()).compareTo(highestExpand) < 0) {
                throw new ProblemException(422, "Unprocessable Content", "contract migration " + m.version()
                        + " comes before expand migration " + highestExpand + "; contract migrations run later, so give"
                        + " them the higher versions", List.of(new Problem.Violation("migrations", "order")));
            }
        }
        return new Split(code, contract, overridden);
    }

    private static String describe(List<LintViolation> violations) {
        return violations.stream()
                .map(v -> "migration " + v.migration() + " line " + v.line() + " (" + v.rule() + "): " + v.statement())
                .collect(Collectors.joining("; "));
    }

    private static List<Problem.Violation> violations(List<LintViolation> violations) {
        return violations.stream()
                .map(v -> new Problem.Violation("migrations[" + v.migration() + "] line " + v.line(),
                        v.rule() + ": " + v.message() + "; instead: " + v.safeAlternative()))
                .toList();
    }
}
