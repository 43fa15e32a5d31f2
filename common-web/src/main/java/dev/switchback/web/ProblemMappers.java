package dev.switchback.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;

/** Turns every failure of every service into problem+json, so a client always gets a reason, never a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.toProblem(uri.getPath()));
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(fieldOf(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        return respond(new Problem("about:blank", "Bad Request", 400, "the request is invalid", uri.getPath(), violations));
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof MismatchedInputException mismatch ? mismatch.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> a + "." + b).orElse(null) : null;
        String detail = "the body is not valid JSON for this request: " + e.getOriginalMessage();
        List<Problem.Violation> violations = field == null ? null : List.of(new Problem.Violation(field, e.getOriginalMessage()));
        return respond(new Problem("about:blank", "Bad Request", 400, detail, uri.getPath(), violations));
    }

    /** More specific than the JSON provider's own mapper, which would answer plain JSON without a reason. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return unreadable(e, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadable(json, uri);
        }
        return respond(new Problem("about:blank", e.getResponse().getStatusInfo().getReasonPhrase(), status,
                e.getMessage(), uri.getPath(), null));
    }

    /** No token: the caller is told how to authenticate (RFC 6750). */
    @ServerExceptionMapper
    public Response unauthorized(io.quarkus.security.UnauthorizedException e, UriInfo uri) {
        return Response.fromResponse(respond(new Problem("about:blank", "Unauthorized", 401,
                        "this call needs a bearer token: Authorization: Bearer <token>", uri.getPath(), null)))
                .header("WWW-Authenticate", "Bearer").build();
    }

    /** A token that does not verify: expired, signed by another key, for another issuer or audience, or malformed. */
    @ServerExceptionMapper
    public Response unauthenticated(io.quarkus.security.AuthenticationFailedException e, UriInfo uri) {
        String reason = reasonOf(e);
        LOG.debugf("token refused on %s: %s", uri.getPath(), reason);
        return Response.fromResponse(respond(new Problem("about:blank", "Unauthorized", 401,
                        "the bearer token is not valid" + (reason == null ? "" : ": " + reason), uri.getPath(), null)))
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"").build();
    }

    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri) {
        return respond(new Problem("about:blank", "Forbidden", 403, e.getMessage() != null && !e.getMessage().isBlank()
                ? e.getMessage() : "the token's roles do not allow this call", uri.getPath(), null));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        if (lostARace(e)) {
            // Two requests decided on the same row and this one's version check failed at commit: nothing of it was
            // written, and reading again shows what the other one did.
            LOG.infof("concurrent change on %s: %s", uri.getPath(), e);
            return respond(new Problem("about:blank", "Conflict", 409, "the resource changed while this request was"
                    + " being decided, and nothing of this request was applied: read it again and retry if it still"
                    + " applies", uri.getPath(), null));
        }
        LOG.error("unexpected failure on " + uri.getPath(), e);
        return respond(new Problem("about:blank", "Internal Server Error", 500,
                "an unexpected error occurred; it was logged", uri.getPath(), null));
    }

    /** Classes named, not imported: not every service has JPA or Hibernate, and the failure may come wrapped. */
    private static final java.util.Set<String> OPTIMISTIC_FAILURES = java.util.Set.of(
            "jakarta.persistence.OptimisticLockException", "org.hibernate.StaleStateException",
            "org.hibernate.StaleObjectStateException", "org.hibernate.dialect.lock.OptimisticEntityLockException");

    /** Whether an optimistic version check (a row changed by a concurrent writer) is behind the failure. */
    static boolean lostARace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                if (OPTIMISTIC_FAILURES.contains(c.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** What the verifier says failed about a refused token, bounded, with the token itself left out. */
    private static String reasonOf(Throwable e) {
        String reason = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
        }
        if (reason == null) {
            return null;
        }
        // Verifiers quote the token: never echo it (answers end up in CI logs).
        reason = reason.replaceAll("[\\p{Cntrl}]", " ")
                .replaceAll("eyJ[A-Za-z0-9_\\-]*(\\.[A-Za-z0-9_\\-]*)*(\\.\\.\\.)?", "<token>");
        return reason.length() > 300 ? reason.substring(0, 300) + "..." : reason;
    }

    /** Bean Validation paths name the method and parameter ("submit.request.version"); clients know the field. */
    private static String fieldOf(String path) {
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : path;
    }
}
