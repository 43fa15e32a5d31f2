package dev.switchback.web.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses to start a service that has no key to verify tokens with: it would answer 401 to every call, and the
 * cause would be found late.
 */
@jakarta.enterprise.context.ApplicationScoped
public class TokenKeyCheck {

    void onStart(@Observes StartupEvent start) {
        var config = ConfigProvider.getConfig();
        boolean key = config.getOptionalValue("mp.jwt.verify.publickey", String.class).isPresent()
                || config.getOptionalValue("mp.jwt.verify.publickey.location", String.class).isPresent()
                || config.getOptionalValue("smallrye.jwt.verify.key.location", String.class).isPresent();
        if (!key) {
            throw new IllegalStateException("no key to verify bearer tokens: set MP_JWT_VERIFY_PUBLICKEY_LOCATION to a"
                    + " PEM public key or a JWKS URL (./suite up sets it to its own key)");
        }
    }
}
