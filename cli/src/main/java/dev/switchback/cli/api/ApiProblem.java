package dev.switchback.cli.api;

import com.fasterxml.jackson.databind.JsonNode;

/** A refusal or failure the API answered, read from its RFC 9457 problem+json (or what it sent instead). */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final JsonNode body;

    public ApiProblem(int status, String title, String detail, JsonNode body) {
        super(detail);
        this.status = status;
        this.title = title;
        this.body = body;
    }

    /** The problem of a response that is not a success. */
    public static ApiProblem of(int status, String responseBody) {
        JsonNode body = Json.readOrNull(responseBody);
        String title = body != null && body.hasNonNull("title") ? body.get("title").asText() : "HTTP " + status;
        String detail = body != null && body.hasNonNull("detail") ? body.get("detail").asText()
                : responseBody == null || responseBody.isBlank() ? null : abbreviate(responseBody.strip());
        return new ApiProblem(status, title, detail, body);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem+json as sent; null when the answer was not JSON. */
    public JsonNode body() {
        return body;
    }

    /** Title, detail and each invalid field, as a person reads them. */
    public String describe() {
        StringBuilder text = new StringBuilder(title);
        if (getMessage() != null) {
            text.append(": ").append(getMessage());
        }
        if (body != null) {
            for (JsonNode violation : body.path("violations")) {
                text.append("\n  ").append(violation.path("field").asText("?")).append(": ")
                        .append(violation.path("message").asText());
            }
        }
        return text.toString();
    }

    private static String abbreviate(String text) {
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }
}
