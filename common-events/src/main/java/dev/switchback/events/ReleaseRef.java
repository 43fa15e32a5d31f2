package dev.switchback.events;

/**
 * Names the release an event is about; every event carries one, so consumers never need a lookup.
 *
 * @param id          id the release-api gave the release
 * @param service     service being released, e.g. {@code sample-app}
 * @param environment environment it is released to, e.g. {@code local}
 * @param version     version being released
 */
public record ReleaseRef(String id, String service, String environment, String version) {

    /** The Kafka key of every event of this release: one service's events stay ordered in one partition. */
    public String key() {
        return service + "/" + environment;
    }
}
