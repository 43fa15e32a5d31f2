package dev.switchback.switcher.route;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One cutover of a release, with what it replaced, so a rollback knows where blue is. */
@Entity
@Table(name = "cutover")
public class Cutover extends PanacheEntityBase {

    /** LIVE: green takes the traffic. */
    public static final String LIVE = "LIVE";
    /** ROLLED_BACK: traffic went back to blue. */
    public static final String ROLLED_BACK = "ROLLED_BACK";

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

    /** toEndpoint: green's address. */
    @Column(name = "to_endpoint")
    public String toEndpoint;

    /** healthPath: the path to check blue's health before a rollback. */
    @Column(name = "health_path")
    public String healthPath;

    /** state: LIVE or ROLLED_BACK. */
    public String state;

    /** createdAt: when traffic moved to green. */
    @Column(name = "created_at")
    public Instant createdAt;

    /** updatedAt: when its state last changed. */
    @Column(name = "updated_at")
    public Instant updatedAt;
}
