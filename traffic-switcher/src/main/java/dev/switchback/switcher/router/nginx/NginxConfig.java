package dev.switchback.switcher.router.nginx;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.OptionalInt;

/** Settings of the nginx router: which nginx to run, where its files live and how long it may take to answer. */
@ConfigMapping(prefix = "switchback.router.nginx")
public interface NginxConfig {

    /** The nginx binary: a path, or a name looked up on PATH and then in /usr/sbin. */
    @WithDefault("nginx")
    String binary();

    /**
     * The prefix of the nginx the router runs: its configuration, pid file, logs and temp files. A stable directory,
     * so a restarted switcher finds the nginx it left running and adopts it.
     */
    @WithDefault("${java.io.tmpdir}/switchback-nginx")
    String workDir();

    /** Worker processes; one per core the JVM sees when unset. */
    OptionalInt workers();

    /** How long nginx may take to start, or to serve a new configuration after a reload, before the switch fails. */
    @WithDefault("5s")
    Duration reloadTimeout();

    /** How long in-flight requests may finish at shutdown before nginx is killed. */
    @WithDefault("10s")
    Duration stopTimeout();
}
