package dev.switchback.deployer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Settings of the deployer. */
@ConfigMapping(prefix = "switchback.deployer")
public interface DeployerConfig {

    /** Where instances' pid files and logs are kept. */
    @WithDefault(".suite/instances")
    String workDir();

    /** How often starting instances are health-checked. */
    @WithDefault("250ms")
    Duration healthInterval();

    /** How long a failed green is kept isolated, running, for analysis before it is retired. */
    @WithDefault("24h")
    Duration isolationRetention();

    /**
     * How long blue keeps running after traffic left it before a promotion may stop it, so requests it took just
     * before the switch finish (a bake of 0 s promotes within milliseconds of the switch).
     */
    @WithDefault("5s")
    Duration drain();

    /**
     * The node this replica runs on: a {@code process} instance belongs to the node that started it, and only that
     * node's deployer stops, restarts or watches it. The host name unless set.
     */
    Optional<String> node();

    /** How often requested copies past their retention are looked for and retired. */
    @WithDefault("1s")
    Duration copySweepInterval();

    /**
     * How much lower than the deployer's own priority {@code process} instances run: a niceness added to its own, as
     * nice(1) adds it (0 to 19; 0 runs them at the deployer's priority). Above 0, the CPU goes to the suite first when
     * the host has too little for both: the health checks, the analysis and the switches keep their timing while a
     * hundred instances start (and, by the same weights, while a green spins the CPU before its rollback). An instance
     * gets the whole CPU the suite does not use, so on a host with CPU to spare nothing changes.
     */
    @WithDefault("10")
    int instanceNiceness();

    /** How long one health request may take. */
    @WithDefault("2s")
    Duration healthTimeout();

    /**
     * A Prometheus file_sd file the deployer keeps listing every instance not retired, labelled with service,
     * environment, release and version; unset, none is written.
     */
    Optional<String> scrapeTargetsFile();

    /** How often the scrape targets file is brought up to date. */
    @WithDefault("1s")
    Duration scrapeTargetsInterval();
}
