package dev.switchback.events;

/**
 * A copy of the live version ran against a schema copy with a contract release's migrations applied, and was judged
 * by its health check and the spec's smoke paths; the copy was retired afterwards.
 *
 * @param release     which release this is about
 * @param healthy     whether the copy answered 2xx on its health path and every smoke path; true when there is no
 *                    live version to prove against
 * @param version     the live version the copy ran; null when there is none
 * @param endpoint    where the copy answered while it ran; null when none was started
 * @param failingPath the first path that did not answer 2xx; null when healthy
 * @param status      what that path answered; null when it did not answer at all, or when healthy
 * @param evidence    what the copy answered or why it did not (a body excerpt, a connection error), or why all is well
 * @param log         the last lines of the copy's own log when it failed; null when healthy or not known
 */
public record CopyVerified(ReleaseRef release, boolean healthy, String version, String endpoint, String failingPath,
                           Integer status, String evidence, String log) implements SwitchbackEvent {
}
