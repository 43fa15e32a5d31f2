package dev.switchback.deployer.instance.runtime;

/**
 * A driver's answer about an instance's readiness or liveness: yes, no, or not yet. A driver whose changes settle
 * eventually (a Deployment rolling out) answers "not yet" until they have; "no" is final (an exited process,
 * {@code ImagePullBackOff}).
 *
 * @param status yes, not yet or no
 * @param reason what was seen, when not yes
 */
public record Answer(Status status, String reason) {

    /** Status: the three answers a driver can give. */
    public enum Status {
        /** YES: ready, or alive. */
        YES,
        /** NOT_YET: not yet ready, or not known here; asking again later may change it. */
        NOT_YET,
        /** NO: failed or gone for good. */
        NO
    }

    public static Answer yes() {
        return new Answer(Status.YES, null);
    }

    public static Answer notYet(String reason) {
        return new Answer(Status.NOT_YET, reason);
    }

    public static Answer no(String reason) {
        return new Answer(Status.NO, reason);
    }

    public boolean isYes() {
        return status == Status.YES;
    }

    public boolean isNo() {
        return status == Status.NO;
    }
}
