package dev.switchback.cli;

/**
 * What the command's exit status tells a CI job. One code per outcome, so a pipeline can tell a rollback from a
 * refusal without reading the output; the table is in the README.
 */
public final class ExitCodes {

    /** OK: done; for a release, live and promoted (or a contract release applied); for an action's --wait, its goal. */
    public static final int OK = 0;
    /**
     * ERROR: the API answered another refusal (400, 404, 409), failed, or could not be reached; or a rollback or abort
     * --wait saw the release promoted instead.
     */
    public static final int ERROR = 1;
    /** USAGE: the command line itself is wrong (picocli's usage code). */
    public static final int USAGE = 2;
    /** ROLLED_BACK: the release went live and traffic went back to blue. */
    public static final int ROLLED_BACK = 3;
    /** FAILED: the release stopped before going live; blue kept serving. */
    public static final int FAILED = 4;
    /** CANCELLED: the release was aborted, rejected by an approver, or its approval expired. */
    public static final int CANCELLED = 5;
    /** REFUSED: the lint or a policy refused it (a 422, or lint's verdict refused). */
    public static final int REFUSED = 6;
    /** TIMED_OUT: {@code --timeout} passed before the release ended; it goes on without the command. */
    public static final int TIMED_OUT = 7;
    /** DENIED: no token, or one that may not do this (401, 403). */
    public static final int DENIED = 8;

    private ExitCodes() {
    }

    /** The code of a release's phase: its outcome once it ended, {@link #OK} while it runs or is live. */
    public static int ofPhase(String phase) {
        return switch (phase == null ? "" : phase) {
            case "ROLLED_BACK" -> ROLLED_BACK;
            case "FAILED" -> FAILED;
            case "CANCELLED" -> CANCELLED;
            default -> OK;
        };
    }

    /** The code of an HTTP refusal. */
    public static int ofStatus(int status) {
        return switch (status) {
            case 401, 403 -> DENIED;
            case 422 -> REFUSED;
            default -> ERROR;
        };
    }
}
