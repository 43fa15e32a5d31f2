package dev.switchback.switcher.route;

import dev.switchback.events.EventCodec;
import dev.switchback.events.RouterSpec;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Map;

/** Where one service's router in one environment sends traffic now. */
@Entity
@Table(name = "route")
public class Route extends PanacheEntityBase {

    /** id: the service and environment routed. */
    @EmbeddedId
    public Key id;

    /** driver: the router driver serving it. */
    public String driver;

    /** port: the port users call. */
    public int port;

    /** settings: the router driver's own settings of the route as a JSON object; null when there are none. */
    public String settings;

    /** liveEndpoint: the instance taking traffic; null before the first cutover. */
    @Column(name = "live_endpoint")
    public String liveEndpoint;

    /** liveVersion: its version. */
    @Column(name = "live_version")
    public String liveVersion;

    /** liveReleaseId: the release that put it there. */
    @Column(name = "live_release_id")
    public String liveReleaseId;

    /** updatedAt: when traffic last moved. */
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The route's router spec, as a router ensures it: driver, port and the driver's settings. */
    @SuppressWarnings("unchecked")
    public RouterSpec routerSpec() {
        return new RouterSpec(driver, port, settings == null ? null : (Map<String, String>) EventCodec.fromJson(settings, Map.class));
    }

    /**
     * The identity of a route.
     *
     * @param service     service
     * @param environment environment
     */
    @Embeddable
    public record Key(String service, String environment) implements Serializable {

        /** The route's name, {@code <service>.<environment>}: names have no dots, so it is unambiguous. */
        public String name() {
            return service + "." + environment;
        }
    }
}
