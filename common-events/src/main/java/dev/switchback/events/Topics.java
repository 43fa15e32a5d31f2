package dev.switchback.events;

/** The Kafka topics of the contract, one per stage of the pipeline. */
public final class Topics {

    /** RELEASES: what release-api decided about releases (requested, started, live, failed, rollback...). */
    public static final String RELEASES = "switchback.releases";
    /** MIGRATIONS: outcomes of the db-migrator. */
    public static final String MIGRATIONS = "switchback.migrations";
    /** DEPLOYMENTS: outcomes of the deployer (green ready/failed, blue retired). */
    public static final String DEPLOYMENTS = "switchback.deployments";
    /** TRAFFIC: outcomes of the traffic-switcher (cutover, rollback). */
    public static final String TRAFFIC = "switchback.traffic";
    /** DEAD_LETTER: events a consumer could not read, with the reason in headers. */
    public static final String DEAD_LETTER = "switchback.dead-letter";

    /** Every topic of the contract, for tooling that creates them. */
    public static final java.util.List<String> ALL = java.util.List.of(RELEASES, MIGRATIONS, DEPLOYMENTS, TRAFFIC, DEAD_LETTER);

    private Topics() {
    }
}
