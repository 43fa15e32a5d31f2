package dev.switchback.releaseapi.webhook.service;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The signature of a JSON delivery: {@code sha256=} and the hex HMAC-SHA256, keyed with the subscription's secret, of
 * {@code <X-Switchback-Timestamp>.<body>}. The timestamp is inside the signed text so a receiver that also refuses old
 * timestamps cannot be sent an old delivery again.
 */
public final class WebhookSigner {

    /** SIGNATURE_HEADER: the header carrying the signature. */
    public static final String SIGNATURE_HEADER = "X-Switchback-Signature";
    /** TIMESTAMP_HEADER: the header carrying the Unix time (seconds) of the attempt, signed with the body. */
    public static final String TIMESTAMP_HEADER = "X-Switchback-Timestamp";

    private WebhookSigner() {
    }

    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
