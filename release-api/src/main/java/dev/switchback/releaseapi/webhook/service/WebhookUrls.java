package dev.switchback.releaseapi.webhook.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** The shape a subscription's URL must have; what is wrong with one, or empty. */
public final class WebhookUrls {

    /** MAX_LENGTH: the longest URL taken. */
    public static final int MAX_LENGTH = 2000;

    private WebhookUrls() {
    }

    public static Optional<String> problemWith(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("must not be blank");
        }
        if (url.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (!url.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return Optional.of("must be an absolute URL without spaces, control or non-ASCII characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be http or https");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("must name a host");
        }
        // Credentials in the URL would be shown by every listing; a receiver authenticates deliveries by the signature.
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry user information");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        return Optional.empty();
    }
}
