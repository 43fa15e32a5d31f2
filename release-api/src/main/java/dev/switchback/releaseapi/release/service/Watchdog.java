package dev.switchback.releaseapi.release.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ends every release stuck past its phase's deadline, so nothing stays in progress forever: a lost event or a
 * stage that died mid-way fails the release (and frees the queue) instead of blocking its service. It also expires
 * approvals nobody gave and starts the releases a freeze window held once the window ends. Each job decides on rows
 * read under their locks, so two replicas running it at once do each thing once.
 */
@ApplicationScoped
public class Watchdog {

    private final Deadlines deadlines;
    private final Approvals approvals;
    private final ReleaseQueue queue;

    public Watchdog(Deadlines deadlines, Approvals approvals, ReleaseQueue queue) {
        this.deadlines = deadlines;
        this.approvals = approvals;
        this.queue = queue;
    }

    @Scheduled(every = "${switchback.release.watchdog-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        deadlines.enforce();
        approvals.expire();
        queue.startThawed();
    }
}
