package dev.switchback.releaseapi.release.rest;

import dev.switchback.releaseapi.servicespec.rest.ServiceSpecResource;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The body of {@code POST /releases}.
 *
 * @param service     registered service to release
 * @param environment environment to release it to
 * @param version     semantic version to release
 * @param artifact    what to run; defaults to the service spec's artifact for the version
 * @param migrations  SQL changes applied before the code, in order
 * @param changeKind  {@code expand} (default): additive changes riding with code; {@code contract}: destructive changes
 *                    alone, in a contract release with no code
 * @param phase       the change kind under its earlier name, still read; naming both with different values is refused
 * @param split       with expand, turn contract statements into a second release that follows this one once it is live
 * @param emergency   why this release must run through a freeze window; recorded with the release
 * @param fix         why this is a fix release (blue itself is broken): it goes on past an unhealthy blue; every other
 *                    check still runs
 * @param allowUnsafe lint rules this release overrides, each with its reason; a second person with the approver role
 *                    must approve it, in any environment
 * @param commitTime  when the change it ships was committed (RFC 3339, e.g. {@code 2026-12-01T10:15:30Z}): where its
 *                    lead time for changes starts; optional
 */
public record ReleaseRequest(
        @NotNull @Pattern(regexp = ServiceSpecResource.NAME, message = "must be lower-case letters, digits and dashes") String service,
        @NotNull @Pattern(regexp = ServiceSpecResource.NAME, message = "must be lower-case letters, digits and dashes") String environment,
        @NotNull @Size(max = 128) @Pattern(regexp = SEMVER, message = "must be a semantic version such as 1.2.3") String version,
        @Size(max = 1024) @Pattern(regexp = dev.switchback.web.Names.ARTIFACT,
                message = "must be a path or URL without spaces, shell characters or .. segments") String artifact,
        @Size(max = 100) List<@NotNull @Valid MigrationRequest> migrations,
        @Pattern(regexp = "expand|contract", message = "must be expand or contract") String changeKind,
        @Pattern(regexp = "expand|contract", message = "must be expand or contract") String phase,
        Boolean split,
        @Size(min = 3, max = 500, message = "must say why, in 3 to 500 characters")
        @Pattern(regexp = dev.switchback.web.Names.TEXT, message = "must not contain control characters") String emergency,
        @Size(max = 500, message = "must say why in at most 500 characters")
        @Pattern(regexp = WORDS, message = "must say why, without control characters") String fix,
        @Size(max = 20) List<@NotNull @Valid UnsafeOverrideRequest> allowUnsafe,
        @Size(max = 64) @Pattern(regexp = RFC_3339, message = "must be an RFC 3339 time with an offset, such as"
                + " 2026-12-01T10:15:30Z") String commitTime) {

    /** RFC_3339: a date-time with seconds and an offset (Z or ±hh:mm), optionally with fractions of a second. */
    public static final String RFC_3339 = "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})";

    /** COMMIT_CLOCK_SKEW: how far in the future a commit time may lie, for a CI clock a little ahead of ours. */
    public static final java.time.Duration COMMIT_CLOCK_SKEW = java.time.Duration.ofMinutes(5);

    /** Whether the commit time has the shape of RFC 3339 but is no real time (month 13, 25 o'clock). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    @jakarta.validation.constraints.AssertFalse(message = "commitTime is no real time; give an RFC 3339 time such as"
            + " 2026-12-01T10:15:30Z")
    public boolean isCommitTimeUnreal() {
        return commitTime != null && commitTime.matches(RFC_3339) && commitInstant() == null;
    }

    /** Whether the commit time lies in the future: a lead time cannot be negative. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    @jakarta.validation.constraints.AssertFalse(message = "commitTime lies in the future; a change is committed before"
            + " it is released")
    public boolean isCommitTimeInFuture() {
        java.time.Instant at = commitTime == null ? null : commitInstant();
        return at != null && at.isAfter(java.time.Instant.now().plus(COMMIT_CLOCK_SKEW));
    }

    /** The commit time as an instant; null when none is given or it is no real time. */
    public java.time.Instant commitInstant() {
        if (commitTime == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(commitTime.toUpperCase(java.util.Locale.ROOT)).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** WORDS: free text with at least one visible character and no control characters. */
    public static final String WORDS = "[^\\p{Cntrl}]*[^\\p{Cntrl}\\s][^\\p{Cntrl}]*";

    /** Whether a lint rule is overridden twice. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    @jakarta.validation.constraints.AssertFalse(message = "allowUnsafe names a rule twice; name each rule once")
    public boolean isAllowUnsafeRepeated() {
        return allowUnsafe != null && allowUnsafe.stream().filter(o -> o != null && o.rule() != null)
                .map(UnsafeOverrideRequest::rule).distinct().count()
                < allowUnsafe.stream().filter(o -> o != null && o.rule() != null).count();
    }

    /** Whether a contract release is marked fix: it deploys no code, and blue's check is all that proves it. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    @jakarta.validation.constraints.AssertFalse(message = "a fix release deploys code; a contract release deploys none"
            + " and ends with blue's health check, which it cannot skip")
    public boolean isFixOfContractRelease() {
        return fix != null && "contract".equals(changeKindOrNull());
    }

    /** The lint rules the release overrides; empty for none. */
    public java.util.Set<String> overriddenRules() {
        return allowUnsafe == null ? java.util.Set.of() : allowUnsafe.stream().map(UnsafeOverrideRequest::rule)
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /**
     * One lint rule the release overrides.
     *
     * @param rule   the rule's id as the lint reports it, e.g. {@code require-concurrent-index-creation}
     * @param reason why the team knows the statement is safe here
     */
    public record UnsafeOverrideRequest(
            @NotNull @Size(max = 100) @Pattern(regexp = "[a-z0-9-]+", message = "must be a lint rule id: lower-case letters, digits and dashes") String rule,
            @NotNull @Size(max = 500, message = "must say why in at most 500 characters")
            @Pattern(regexp = WORDS, message = "must say why, without control characters") String reason) {
    }

    /** Whether the change kind is named twice, differently. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    @jakarta.validation.constraints.AssertFalse(message = "changeKind and its earlier name phase disagree; name changeKind only")
    public boolean isChangeKindContradictory() {
        return changeKind != null && phase != null && !changeKind.equals(phase);
    }

    /** The change kind asked for, from either name; null when neither is given (expand). */
    public String changeKindOrNull() {
        return changeKind != null ? changeKind : phase;
    }

    /** SEMVER: a semantic version, optionally with pre-release and build parts. */
    public static final String SEMVER = "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?";

    /**
     * One migration of the release.
     *
     * @param version     Flyway version, e.g. {@code 2} or {@code 2.1}
     * @param description what it does; becomes part of the script name
     * @param sql         the statements
     * @param kind        {@code schema} (default) or {@code backfill}: one UPDATE or DELETE of existing rows, run in batches
     * @param batchSize   rows per batch of a backfill, 1 to 100000; null for the db-migrator's default
     * @param pauseMillis pause between two batches of a backfill, 0 to 60000 ms; null for the db-migrator's default
     */
    public record MigrationRequest(
            @NotNull @Pattern(regexp = "\\d{1,9}(\\.\\d{1,9}){0,3}", message = "must be a version such as 2 or 2.1") String version,
            @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9 _.,:()'-]*", message = "must be plain words") String description,
            @NotBlank @Size(max = 1_000_000) @Pattern(regexp = "[^\\x00]*", message = "must not contain NUL") String sql,
            @Pattern(regexp = "schema|backfill", message = "must be schema or backfill") String kind,
            @jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(100_000) Integer batchSize,
            @jakarta.validation.constraints.Min(0) @jakarta.validation.constraints.Max(60_000) Integer pauseMillis) {

        /** A schema migration. */
        public MigrationRequest(String version, String description, String sql) {
            this(version, description, sql, null, null, null);
        }

        /** Whether batch settings are given to a migration that is no backfill. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        @jakarta.validation.constraints.AssertFalse(message = "batchSize and pauseMillis apply to \"kind\": \"backfill\" only")
        public boolean isBatchingWithoutBackfill() {
            return !backfill() && (batchSize != null || pauseMillis != null);
        }

        /** Whether it is a backfill. */
        public boolean backfill() {
            return dev.switchback.events.Migration.BACKFILL.equals(kind);
        }
    }
}
