package dev.switchback.events;

/**
 * The deployer is starting green.
 *
 * @param release which release this is about
 * @param instanceId deterministic id of the green instance
 * @param endpoint address green will answer on
 */
public record GreenDeploying(ReleaseRef release, String instanceId, String endpoint) implements SwitchbackEvent {
}
