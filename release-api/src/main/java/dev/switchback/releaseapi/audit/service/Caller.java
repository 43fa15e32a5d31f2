package dev.switchback.releaseapi.audit.service;

import jakarta.enterprise.context.RequestScoped;

/**
 * Who is calling the API in this request, for the audit trail: the actor (the caller's identity once tokens are
 * required; until then the {@code X-Actor} header, else the client's address) and the request id.
 */
@RequestScoped
public class Caller {

    private String actor;
    private String requestId;

    public String actor() {
        return actor;
    }

    public String requestId() {
        return requestId;
    }

    public void set(String actor, String requestId) {
        this.actor = actor;
        this.requestId = requestId;
    }
}
