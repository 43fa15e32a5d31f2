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
        @Pattern(regexp = dev.switchback.web.Names.TEXT, message = "must not contain control characters") String emergency) {

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
     */
    public record MigrationRequest(
            @NotNull @Pattern(regexp = "\\d{1,9}(\\.\\d{1,9}){0,3}", message = "must be a version such as 2 or 2.1") String version,
            @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9 _.,:()'-]*", message = "must be plain words") String description,
            @NotBlank @Size(max = 1_000_000) @Pattern(regexp = "[^\\x00]*", message = "must not contain NUL") String sql) {
    }
}
