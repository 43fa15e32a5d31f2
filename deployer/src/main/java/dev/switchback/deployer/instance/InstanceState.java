package dev.switchback.deployer.instance;

/** Where an instance stands. */
public enum InstanceState {
    /** STARTING: green is started and has not passed its health check yet. */
    STARTING,
    /** READY: green passed its health check and waits for traffic. */
    READY,
    /** LIVE: the instance takes traffic: blue to the next release. */
    LIVE,
    /** WARM: blue after a cutover: running with no traffic, ready to take it back in one switch. */
    WARM,
    /** ISOLATED: kept running with no traffic, for analysis, until retired. */
    ISOLATED,
    /** RETIRED: stopped for good. */
    RETIRED;

    /** Whether its process should be running. */
    public boolean isRunning() {
        return this != RETIRED;
    }
}
