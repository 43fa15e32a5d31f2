package dev.switchback.switcher.route;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** One cutover of a release, with what it replaced, so a rollback knows where blue is. */
@Entity
@Table(name = "cutover")
public class Cutover extends PanacheEntityBase {

    /** releaseId: the release cut over. */
    @Id
    @Column(name = "release_id")
    public String releaseId;

    /** service: the service. */
    public String service;

    /** environment: the environment. */
    public String environment;

    /** port: the router's port. */
    public int port;

    /** fromEndpoint: blue's address; null for a first release. */
    @Column(name = "from_endpoint")
    public String fromEndpoint;

    /** fromVersion: blue's version. */
    @Column(name = "from_version")
    public String fromVersion;

    /** fromReleaseId: the release that had put blue live. */
    @Column(name = "from_release_id")
    public String fromReleaseId;

    /** version: green's version, the release's. */
    public String version;

    /** toEndpoint: green's address. */
    @Column(name = "to_endpoint")
    public String toEndpoint;

    /** healthPath: the path to check blue's health before a rollback. */
    @Column(name = "health_path")
    public String healthPath;

    /** state: where the cutover stands. */
    @Enumerated(EnumType.STRING)
    public CutoverState state;

    /** rollout: the release's {@link dev.switchback.events.RolloutSpec} as JSON: strategy, steps, bake, analysis. */
    public String rollout;

    /** step: the canary step under way, from 0; the number of steps once green takes all traffic. */
    public int step;

    /** greenWeight: green's share of new requests now, 1..100. */
    @Column(name = "green_weight")
    public int greenWeight;

    /** windowEndsAt: when the canary step or the bake under way ends; null when none is. */
    @Column(name = "window_ends_at")
    public Instant windowEndsAt;

    /** passedIntervals: analysis intervals judged and passed, over the whole cutover. */
    @Column(name = "passed_intervals")
    public int passedIntervals;

    /** inconclusiveIntervals: analysis intervals with too few requests to judge. */
    @Column(name = "inconclusive_intervals")
    public int inconclusiveIntervals;

    /** windowPassed: intervals passed in the step or bake under way: it ends well only if this is above 0. */
    @Column(name = "window_passed")
    public int windowPassed;

    /** Whether analysis watches it: a canary step or the bake is under way. */
    public boolean isWatched() {
        return state != null && state.isWatched();
    }

    /**
     * Locks this cutover's route (the lock every switch of that route takes) and reads the cutover again under it: a
     * switch another thread or replica committed meanwhile is seen, where finding it again would return the state
     * read before. Every decision on a cutover is taken after this.
     */
    public Route lockRoute() {
        Route route = Route.findById(new Route.Key(service, environment), LockModeType.PESSIMISTIC_WRITE);
        getEntityManager().refresh(this);
        return route;
    }

    /** A watched cutover with its route. */
    public record WithRoute(Cutover cutover, Route route) {
    }

    /**
     * The cutovers analysis watches, each with its route, in one query: the analysis loop reads them every tick, and
     * a route read per cutover made that 1 + N queries, 50 times a second.
     */
    public static List<WithRoute> watchedWithRoutes() {
        return getEntityManager().createQuery("select c, r from Cutover c, Route r where r.id.service = c.service"
                        + " and r.id.environment = c.environment and c.state in ?1", Object[].class)
                .setParameter(1, List.of(CutoverState.CANARY, CutoverState.BAKING)).getResultList().stream()
                .map(row -> new WithRoute((Cutover) row[0], (Route) row[1])).toList();
    }

    /** createdAt: when traffic moved to green. */
    /**
     * traceparent: the trace context the cutover began in, null when nothing is traced; the analysis loop's decisions
     * are published in it, so the bake's outcome stays in the release's trace.
     */
    public String traceparent;

    @Column(name = "created_at")
    public Instant createdAt;

    /** updatedAt: when its state last changed. */
    @Column(name = "updated_at")
    public Instant updatedAt;
}
