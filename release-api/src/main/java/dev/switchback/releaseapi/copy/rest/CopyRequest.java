package dev.switchback.releaseapi.copy.rest;

import dev.switchback.web.Names;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What an admin may say when asking for a copy; every field optional.
 *
 * @param reason    why the copy is wanted (audit, failure analysis), for the audit trail
 * @param retention how long it runs, ISO-8601 (e.g. {@code PT2H}); the default when null
 */
public record CopyRequest(
        @Size(max = 500) @Pattern(regexp = Names.TEXT, message = "must not contain control characters") String reason,
        @Size(max = 40) String retention) {
}
