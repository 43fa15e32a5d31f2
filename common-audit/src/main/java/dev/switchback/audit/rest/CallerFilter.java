package dev.switchback.audit.rest;

import dev.switchback.audit.Caller;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.UUID;

/** Names the request of every API call (the caller is the token's subject), and answers it in {@code X-Request-Id}. */
public class CallerFilter {

    private final Caller caller;

    public CallerFilter(Caller caller) {
        this.caller = caller;
    }

    @ServerRequestFilter
    public void identify(ContainerRequestContext request) {
        String requestId = request.getHeaderString("X-Request-Id");
        if (requestId == null || requestId.isBlank() || requestId.length() > 128 || !requestId.matches("[\\x21-\\x7e]+")) {
            requestId = UUID.randomUUID().toString();
        }
        caller.identify(requestId);
        request.setProperty("requestId", requestId);
    }

    @ServerResponseFilter
    public void answer(ContainerRequestContext request, ContainerResponseContext response) {
        Object requestId = request.getProperty("requestId");
        if (requestId != null) {
            response.getHeaders().putSingle("X-Request-Id", requestId);
        }
    }
}
