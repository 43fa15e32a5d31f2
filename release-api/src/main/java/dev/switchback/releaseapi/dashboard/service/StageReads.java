package dev.switchback.releaseapi.dashboard.service;

import dev.switchback.releaseapi.dashboard.DashboardConfig;
import dev.switchback.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Reads what only another stage knows (the deployer's instances, the switcher's analysis intervals) for the dashboard,
 * which reaches release-api alone: a GET with the caller's own bearer token, so the stage applies its own roles, and
 * its answer passed on as it came. The stages' APIs stay on the internal network (see "What to expose").
 */
@ApplicationScoped
public class StageReads {

    private static final Logger LOG = Logger.getLogger(StageReads.class);

    /**
     * A stage's answer.
     *
     * @param status      its HTTP status
     * @param contentType its content type
     * @param body        its body, as it came
     */
    public record Answer(int status, String contentType, String body) {
    }

    private final DashboardConfig config;
    private final HttpClient http;

    public StageReads(DashboardConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    }

    /** The deployer's instances of a service in an environment. */
    public Answer instances(String service, String environment, String authorization) {
        return get("deployer", config.deployerUrl(), "/instances?service=" + service + "&environment=" + environment,
                authorization);
    }

    /** The switcher's judged analysis intervals of a release. */
    public Answer analysis(String releaseId, String authorization) {
        return get("traffic-switcher", config.switcherUrl(), "/analysis/" + releaseId, authorization);
    }

    private Answer get(String stage, URI base, String pathAndQuery, String authorization) {
        URI uri = URI.create(base.toString().replaceAll("/+$", "") + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.timeout()).header("Accept",
                "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse("application/json"), response.body());
        } catch (IOException e) {
            LOG.warnf("reading %s from the %s: %s", pathAndQuery, stage, e.toString());
            throw new ProblemException(502, "Bad Gateway", "the " + stage + " could not be reached at " + base);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Service Unavailable", "interrupted while reading from the " + stage);
        }
    }
}
