package dev.switchback.releaseapi.release;

import java.time.Instant;

/**
 * A fact about a release beyond its phase, in the shape Kubernetes-style controllers use; stored on the release and
 * changed only by the transitions that make it true or false.
 *
 * @param type               {@code AwaitingApproval}, {@code Baking} or {@code Promoted}
 * @param status             {@code True} or {@code False}
 * @param reason             one CamelCase word for machines
 * @param message            a sentence for people
 * @param lastTransitionTime when the status last changed
 */
public record Condition(String type, String status, String reason, String message, Instant lastTransitionTime) {

    /** AWAITING_APPROVAL: the release waits for a second person's decision (True), or was decided (False). */
    public static final String AWAITING_APPROVAL = "AwaitingApproval";
    /** BAKING: green takes the traffic and is analysed while blue is kept warm. */
    public static final String BAKING = "Baking";
    /** PROMOTED: the bake ended well and blue was retired. */
    public static final String PROMOTED = "Promoted";
    /** PROMOTION_REQUESTED: the reason of a False {@code Promoted} while the switcher carries out a promotion asked for. */
    public static final String PROMOTION_REQUESTED = "PromotionRequested";

    /** ORDER: the order conditions are listed in, whichever was set first. */
    public static final java.util.List<String> ORDER = java.util.List.of(AWAITING_APPROVAL, BAKING, PROMOTED);

    /** Whether the condition holds. */
    public boolean holds() {
        return "True".equals(status);
    }
}
