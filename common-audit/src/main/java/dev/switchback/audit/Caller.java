package dev.switchback.audit;

import dev.switchback.web.auth.Access;
import jakarta.enterprise.context.RequestScoped;

/** Who is calling the API in this request, for the audit trail: the token's subject, and the request id. */
@RequestScoped
public class Caller {

    private final Access access;
    private String requestId;

    public Caller(Access access) {
        this.access = access;
    }

    /**
     * The subject of the verified token (the endpoint's role check has authenticated it by the time this is asked);
     * null without one: a scheduled job or a consumer with a request context of its own, which the trail names
     * {@code pipeline}.
     */
    public String actor() {
        return access.isAnonymous() ? null : access.subject();
    }

    public String requestId() {
        return requestId;
    }

    public void identify(String requestId) {
        this.requestId = requestId;
    }
}
