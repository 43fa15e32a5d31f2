package dev.switchback.events;

/**
 * An instance was retired: stopped for good, its resources released. Published for every retirement, blue or green.
 *
 * @param release    the release that started the instance
 * @param instanceId id of the retired instance
 * @param version    version it ran
 * @param color      {@code blue} when it had taken traffic (live, kept warm or draining), {@code green} when it never
 *                   had (starting, ready, isolated)
 * @param reason     why it was retired
 * @param endpoint   the address it had, so a router still naming it can tell
 */
public record InstanceRetired(ReleaseRef release, String instanceId, String version, String color, String reason,
                              String endpoint) implements SwitchbackEvent {

    /** BLUE: the color of an instance that took traffic. */
    public static final String BLUE = "blue";
    /** GREEN: the color of an instance that never did. */
    public static final String GREEN = "green";
}
