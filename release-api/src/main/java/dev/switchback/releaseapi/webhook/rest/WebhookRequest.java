package dev.switchback.releaseapi.webhook.rest;

import dev.switchback.web.Names;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A webhook subscription as an admin registers it.
 *
 * @param environment whose releases are reported
 * @param url         where deliveries are POSTed: http or https
 * @param kind        {@code json} (signed) or {@code slack}
 * @param events      outcomes chosen: {@code failed}, {@code rolled-back}, {@code awaiting-approval}, {@code live},
 *                    {@code promoted}
 * @param secret      the HMAC key of the signature: required for {@code json}, optional for {@code slack}; never shown
 */
public record WebhookRequest(@NotBlank @Pattern(regexp = Names.NAME, message = "must be a lower-case name") String environment,
                             @NotBlank @Size(max = 2000) String url,
                             @NotBlank @Size(max = 16) String kind,
                             @NotEmpty @Size(max = 5) List<@NotNull @Size(max = 32) String> events,
                             @Size(min = 16, max = 256) @Pattern(regexp = "[\\x21-\\x7e]*",
                                     message = "must be printable ASCII without spaces") String secret) {
}
