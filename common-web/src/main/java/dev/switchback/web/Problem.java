package dev.switchback.web;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error answer.
 *
 * @param type       type: {@code about:blank}, the status code says it all
 * @param title      title: the status' short phrase
 * @param status     status: the HTTP status code
 * @param detail     detail: what exactly was wrong with this request
 * @param instance   instance: the request path
 * @param violations violations: one entry per invalid field, when the request body was at fault
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<Violation> violations) {

    /** MEDIA_TYPE: the content type of problem answers. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * One invalid field.
     *
     * @param field   field: path of the field in the request, e.g. {@code version}
     * @param message message: why it is invalid
     */
    public record Violation(String field, String message) {
    }
}
