package dev.switchback.audit;

import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import java.time.Clock;

/** What a service adds around the trail: a clock (common-messaging's, in the services) and a write endpoint. */
public class TestApp {

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    /** A write endpoint that records what it did, as the services' endpoints do. */
    @Path("/test-actions")
    @RolesAllowed(Roles.RELEASER)
    public static class Actions {

        private final AuditLog audit;

        public Actions(AuditLog audit) {
            this.audit = audit;
        }

        @POST
        @Transactional
        public long act(@QueryParam("service") String service) {
            return audit.append("test.act", service, "staging", null, "acted").seq;
        }
    }
}
