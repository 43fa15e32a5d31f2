package dev.switchback.releaseapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Deadlines the watchdog enforces (no release stays in progress forever), who must approve what, and copies' limits. */
@ConfigMapping(prefix = "switchback.release")
public interface ReleaseConfig {

    /** How often the watchdog looks for releases past their deadline. */
    @WithDefault("5s")
    Duration watchdogInterval();

    /** How long a release may stay MIGRATING. */
    @WithDefault("30m")
    Duration migratingDeadline();

    /** How long a release may stay DEPLOYING on top of the health deadline of its spec. */
    @WithDefault("5m")
    Duration deployingDeadline();

    /** How long a release may stay SWITCHING. */
    @WithDefault("2m")
    Duration switchingDeadline();

    /** How long after its bake should have ended a live release may still be baking before it is rolled back. */
    @WithDefault("2m")
    Duration bakingDeadline();

    /** How long a rollback may take before the release is reported live again. */
    @WithDefault("2m")
    Duration rollingBackDeadline();

    /** Copies of releases an admin asks for: how long they run, and how many at once. */
    Copies copies();

    interface Copies {

        /** How long a copy runs when its request names no retention. */
        @WithDefault("1h")
        Duration defaultRetention();

        /** The shortest retention a request may name. */
        @WithDefault("10s")
        Duration minRetention();

        /** The longest retention a request may name. */
        @WithDefault("24h")
        Duration maxRetention();

        /** How many copies of one release may be prepared or run at once. */
        @WithDefault("3")
        int maxPerRelease();
    }

    /** Approvals: which environments are protected, and how long a release waits for a decision. */
    Approval approval();

    interface Approval {

        /** Environments whose releases wait for an approver who is not the requester. */
        @WithDefault("production")
        java.util.Set<String> environments();

        /** How long a release waits for approval before it is cancelled as expired. */
        @WithDefault("24h")
        Duration expiresAfter();
    }
}
