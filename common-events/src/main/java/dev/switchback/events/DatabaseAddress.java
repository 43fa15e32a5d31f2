package dev.switchback.events;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A PostgreSQL database an instance would connect to, as found in its runtime configuration by
 * {@link DatabaseAddresses}. Its text forms never carry the password: {@link #redacted()} shows {@code ***} instead.
 *
 * @param source   where it was found: {@code env DB_URL}, {@code command argument 3}, {@code databaseEnv}
 * @param form     how it was written
 * @param hosts    the hosts it names, in order (a client tries them in turn)
 * @param database the database name
 * @param user     the user it names; null when it names none (the service spec's user is used)
 * @param password the password it carries; null when none. Never printed
 */
public record DatabaseAddress(String source, Form form, List<Host> hosts, String database, String user, String password) {

    /** DEFAULT_PORT: PostgreSQL's port when an address names none. */
    public static final int DEFAULT_PORT = 5432;

    /** Form: how an address was written. */
    public enum Form {
        /** JDBC: {@code jdbc:postgresql://host:port/db?user=..&password=..}. */
        JDBC,
        /** URL: a libpq connection URI, {@code postgres://user:password@host:port/db}. */
        URL,
        /** KEYWORDS: a libpq keyword/value string, {@code host=.. port=.. dbname=..}. */
        KEYWORDS,
        /** SETTINGS: host, port and name in separate env entries, named by the spec or by libpq ({@code PGHOST}...). */
        SETTINGS
    }

    /**
     * One host of an address.
     *
     * @param name a host name or IP address (IPv6 without brackets)
     * @param port its port
     */
    public record Host(String name, int port) {

        /** As a URL writes it: IPv6 in brackets. */
        public String render() {
            return (name.contains(":") ? "[" + name + "]" : name) + ":" + port;
        }
    }

    public DatabaseAddress {
        hosts = List.copyOf(hosts);
    }

    /** A JDBC URL to this database, without user or password: credentials are passed apart. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + renderHosts() + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** The address as people read it, password replaced by {@code ***}. */
    public String redacted() {
        String credentials = user == null ? (password == null ? "" : ":***@")
                : user + (password == null ? "" : ":***") + "@";
        return "postgresql://" + credentials + renderHosts() + "/" + database;
    }

    /** The redacted address and where it was found. */
    @Override
    public String toString() {
        return redacted() + " (" + source + ")";
    }

    private String renderHosts() {
        return hosts.stream().map(Host::render).collect(Collectors.joining(","));
    }
}
