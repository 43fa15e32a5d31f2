package dev.switchback.releaseapi.release;

import java.util.Locale;

/** What became of a release's request for approval. */
public enum ApprovalDecision {
    /** PENDING: nobody has decided yet. */
    PENDING,
    /** APPROVED: an approver who is not the requester approved it. */
    APPROVED,
    /** REJECTED: an approver rejected it; it was cancelled. */
    REJECTED,
    /** EXPIRED: nobody decided in time; it was cancelled. */
    EXPIRED,
    /** WITHDRAWN: it was aborted, or cancelled with the release it was split from, before anyone decided. */
    WITHDRAWN;

    /** The decision as the API shows it: lower case. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
