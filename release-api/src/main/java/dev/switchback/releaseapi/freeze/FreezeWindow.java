package dev.switchback.releaseapi.freeze;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A time range in which an environment's releases queue instead of running. */
@Entity
@Table(name = "freeze_window")
public class FreezeWindow extends PanacheEntityBase {

    /** id: given when the window is created. */
    @Id
    public UUID id;

    /** environment: the environment frozen. */
    public String environment;

    /** startsAt: when the freeze begins. */
    @Column(name = "starts_at")
    public Instant startsAt;

    /** endsAt: when it ends. */
    @Column(name = "ends_at")
    public Instant endsAt;

    /** zone: the time zone the window was given in, to show it back the way it was meant. */
    public String zone;

    /** reason: why the environment is frozen. */
    public String reason;

    /** createdAt: when the window was created. */
    @Column(name = "created_at")
    public Instant createdAt;

    /** The window freezing the environment at that instant, the one ending last if several overlap. */
    public static Optional<FreezeWindow> active(String environment, Instant at) {
        return find("environment = ?1 and startsAt <= ?2 and endsAt > ?2 order by endsAt desc", environment, at)
                .firstResultOptional();
    }

    public static List<FreezeWindow> upcoming(String environment, Instant now) {
        return list("environment = ?1 and endsAt > ?2 order by startsAt", environment, now);
    }
}
