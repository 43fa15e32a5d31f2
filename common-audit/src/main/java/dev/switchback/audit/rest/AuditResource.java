package dev.switchback.audit.rest;

import dev.switchback.events.EventCodec;
import dev.switchback.audit.AuditEntry;
import dev.switchback.audit.AuditLog;
import dev.switchback.web.Names;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The audit trail: exported as JSON lines or CSV, and checked end to end. */
@RolesAllowed(Roles.VIEWER)
@Path("/audit")
public class AuditResource {

    /** NDJSON: one JSON object per line. */
    static final String NDJSON = "application/x-ndjson";

    private final AuditLog audit;

    public AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    /** Entries in order; {@code format=csv} (or {@code Accept: text/csv}) for CSV, JSON lines otherwise. */
    @GET
    @Produces({NDJSON, "text/csv"})
    public Response export(@QueryParam("from") Instant from, @QueryParam("to") Instant to,
                           @QueryParam("service") @Pattern(regexp = Names.NAME) String service,
                           @QueryParam("format") @Pattern(regexp = "jsonl|csv") String format,
                           @jakarta.ws.rs.HeaderParam("Accept") String accept) {
        List<AuditEntry> entries = audit.entries(from, to, service);
        boolean csv = "csv".equals(format) || (format == null && accept != null && accept.contains("text/csv"));
        if (csv) {
            String body = "seq,at,actor,action,service,environment,release_id,request_id,detail,prev_hash,hash,chain,position\n"
                    + entries.stream().map(AuditResource::csvLine).collect(Collectors.joining());
            return Response.ok(body, "text/csv; charset=utf-8").build();
        }
        String body = entries.stream().map(e -> EventCodec.toJson(view(e)) + "\n").collect(Collectors.joining());
        return Response.ok(body, NDJSON).build();
    }

    /** Recomputes every chain: {@code "status":"ok"} when intact, otherwise the first broken entry and why. */
    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    public AuditLog.Verification verify() {
        return audit.verify();
    }

    private static Map<String, Object> view(AuditEntry e) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("seq", e.seq);
        view.put("at", e.at.toString());
        view.put("actor", e.actor);
        view.put("action", e.action);
        view.put("service", e.service);
        view.put("environment", e.environment);
        view.put("releaseId", e.releaseId);
        view.put("requestId", e.requestId);
        view.put("detail", e.detail);
        view.put("prevHash", e.prevHash);
        view.put("hash", e.hash);
        view.put("chain", e.chain);
        view.put("position", e.position);
        return view;
    }

    private static String csvLine(AuditEntry e) {
        return String.join(",", Long.toString(e.seq), e.at.toString(), csv(e.actor), csv(e.action), csv(e.service),
                csv(e.environment), csv(e.releaseId == null ? null : e.releaseId.toString()), csv(e.requestId),
                csv(e.detail), e.prevHash, e.hash, csv(e.chain), Long.toString(e.position)) + "\n";
    }

    /** RFC 4180 quoting; a leading =, +, - or @ is prefixed so a spreadsheet never runs a cell as a formula. */
    private static String csv(String value) {
        if (value == null) {
            return "";
        }
        String safe = value.matches("^[=+\\-@].*") ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
