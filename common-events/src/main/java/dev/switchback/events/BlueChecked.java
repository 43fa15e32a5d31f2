package dev.switchback.events;

/**
 * After the schema change, the deployer checked that the live version (blue) still passes its health check against
 * the new schema; only then does code follow ("tick-tock").
 *
 * @param release  which release this is about
 * @param healthy  whether blue passed; true when there is no blue to check
 * @param endpoint blue's address; null when there is no blue
 * @param reason   what the check saw
 */
public record BlueChecked(ReleaseRef release, boolean healthy, String endpoint, String reason) implements SwitchbackEvent {
}
