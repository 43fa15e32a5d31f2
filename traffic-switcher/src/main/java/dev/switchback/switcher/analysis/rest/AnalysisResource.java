package dev.switchback.switcher.analysis.rest;

import dev.switchback.switcher.analysis.AnalysisHistory;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The intervals analysis judged for a release, for the dashboard's chart (through release-api) and for operators. */
@RolesAllowed(Roles.VIEWER)
@Path("/analysis/{releaseId}")
@Produces(MediaType.APPLICATION_JSON)
public class AnalysisResource {

    private final AnalysisHistory history;

    public AnalysisResource(AnalysisHistory history) {
        this.history = history;
    }

    @GET
    public List<AnalysisHistory.Interval> intervals(
            @PathParam("releaseId") @Pattern(regexp = "[0-9a-fA-F-]{36}", message = "must be a release id") String releaseId) {
        return history.of(releaseId);
    }
}
