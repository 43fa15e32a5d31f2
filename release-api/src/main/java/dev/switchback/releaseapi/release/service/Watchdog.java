package dev.switchback.releaseapi.release.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ends every release stuck past its phase's deadline, so nothing stays in progress forever: a lost event or a
 * stage that died mid-way fails the release (and frees the queue) instead of blocking its service. It also starts
 * the releases a freeze window held once the window ends.
 */
@ApplicationScoped
public class Watchdog {

    private final ReleaseService releases;

    public Watchdog(ReleaseService releases) {
        this.releases = releases;
    }

    @Scheduled(every = "${switchback.release.watchdog-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void enforceDeadlines() {
        releases.enforceDeadlines();
        releases.expireApprovals();
        releases.startThawed();
    }
}
