package dev.switchback.releaseapi.servicespec;

import dev.switchback.events.DatabaseSpec;
import dev.switchback.events.HealthSpec;
import dev.switchback.events.RouterSpec;
import dev.switchback.events.RuntimeSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code PUT /services/{service}/environments/{environment}}.
 *
 * @param artifact default artifact of a release; {@code {version}} is replaced by the release's version
 * @param runtime  how instances are started
 * @param router   how users reach the live color
 * @param health   how health is checked
 * @param database target database of migrations; optional
 */
public record ServiceSpecBody(
        @Size(max = 1024) String artifact,
        @NotNull @Valid Runtime runtime,
        @NotNull @Valid Router router,
        @Valid Health health,
        @Valid Database database) {

    /**
     * How instances are started.
     *
     * @param driver  runtime driver; only {@code process} for now
     * @param command argv template, never run through a shell
     * @param env     extra environment of every instance
     */
    public record Runtime(
            @Pattern(regexp = "process", message = "supported runtime drivers: process") String driver,
            @NotEmpty @Size(max = 64) List<@NotBlank @Size(max = 1024) String> command,
            @Size(max = 64) Map<@Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}") String, @NotNull @Size(max = 4096) String> env) {
    }

    /**
     * How users reach the live color.
     *
     * @param driver router driver; only {@code embedded} for now
     * @param port   port the router serves
     */
    public record Router(
            @Pattern(regexp = "embedded", message = "supported router drivers: embedded") String driver,
            @Min(1024) @Max(65535) int port) {
    }

    /**
     * How health is checked.
     *
     * @param path            HTTP path answering 2xx when healthy
     * @param deadlineSeconds time an instance has to become healthy
     */
    public record Health(
            @Pattern(regexp = "/[A-Za-z0-9/_.-]{0,200}") String path,
            @Min(1) @Max(3600) Integer deadlineSeconds) {
    }

    /**
     * Target database of migrations.
     *
     * @param url         JDBC URL
     * @param username    user
     * @param passwordEnv       environment variable of the db-migrator holding the password
     * @param lockTimeoutMillis how long a migration statement may wait for a lock; default 1000
     */
    public record Database(
            @NotBlank @Pattern(regexp = "jdbc:postgresql://.{1,1000}") String url,
            @NotBlank @Size(max = 128) String username,
            @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}") String passwordEnv,
            @Min(10) @Max(600_000) Integer lockTimeoutMillis) {
    }

    public RuntimeSpec runtimeSpec() {
        return new RuntimeSpec(runtime.driver() == null ? "process" : runtime.driver(), runtime.command(),
                runtime.env() == null ? Map.of() : runtime.env());
    }

    public RouterSpec routerSpec() {
        return new RouterSpec(router.driver() == null ? "embedded" : router.driver(), router.port());
    }

    public HealthSpec healthSpec() {
        return new HealthSpec(health == null || health.path() == null ? "/health" : health.path(),
                health == null || health.deadlineSeconds() == null ? 60 : health.deadlineSeconds());
    }

    public DatabaseSpec databaseSpec() {
        return database == null ? null : new DatabaseSpec(database.url(), database.username(), database.passwordEnv(),
                database.lockTimeoutMillis());
    }
}
