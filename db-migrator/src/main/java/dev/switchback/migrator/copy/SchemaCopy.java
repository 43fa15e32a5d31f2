package dev.switchback.migrator.copy;

import dev.switchback.events.DatabaseAddress;
import dev.switchback.events.DatabaseAddresses;
import dev.switchback.events.DatabaseSpec;
import dev.switchback.events.ReleaseRef;
import dev.switchback.migrator.config.MigratorConfig;
import dev.switchback.migrator.fence.TargetDatabase;
import dev.switchback.migrator.migration.service.FlywayRunner;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A non-production copy of a target database's schema, on the target's own server: a scratch database named after
 * the release (so a redelivery or a restart finds and replaces the same one), filled with {@code pg_dump
 * --schema-only} of the target and the rows of its migration history (so Flyway sees what is applied), and stamped
 * {@value #COPY_ENVIRONMENT}, never production. No row of the target's data is copied.
 */
@ApplicationScoped
public class SchemaCopy {

    /** COPY_ENVIRONMENT: the environment a copy is stamped for. */
    public static final String COPY_ENVIRONMENT = "copy";

    private static final Logger LOG = Logger.getLogger(SchemaCopy.class);

    private final MigratorConfig config;

    public SchemaCopy(MigratorConfig config) {
        this.config = config;
    }

    /** Why a copy could not be made. */
    public static class Failure extends RuntimeException {
        public Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The copy's name: {@code <db>_copy_<first 8 hex of the release id>}, within PostgreSQL's 63 bytes. */
    public static String name(DatabaseSpec target, ReleaseRef release) {
        return name(target, release.id());
    }

    /** The name of a copy made for {@code id} (a release's, or a requested copy's): {@code <db>_copy_<its first 8 hex>}. */
    public static String name(DatabaseSpec target, String id) {
        String database = DatabaseAddresses.parse("the target database", target.url()).database();
        String suffix = "_copy_" + id.replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
        String base = database.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return base.substring(0, Math.min(base.length(), 63 - suffix.length())) + suffix;
    }

    /** The copy as a database spec: the target's server and credentials, the copy's name. */
    public static DatabaseSpec spec(DatabaseSpec target, String copy) {
        DatabaseAddress address = DatabaseAddresses.parse("the target database", target.url());
        DatabaseAddress at = new DatabaseAddress("copy", address.form(), address.hosts(), copy, null, null);
        return new DatabaseSpec(at.jdbcUrl(), target.username(), target.passwordEnv(), target.lockTimeoutMillis());
    }

    /** Makes (or makes again) the copy of the target's schema and history; returns it as a database spec. */
    public DatabaseSpec create(DatabaseSpec target, String copy, ReleaseRef release) {
        drop(target, copy);
        DatabaseAddress address = DatabaseAddresses.parse("the target database", target.url());
        try (Connection server = TargetDatabase.connect(target); Statement ddl = server.createStatement()) {
            ddl.execute("CREATE DATABASE " + quote(copy));
        } catch (SQLException e) {
            throw new Failure("cannot create the copy " + copy + ": " + e.getMessage(), e);
        }
        DatabaseSpec copySpec = spec(target, copy);
        Path dump = null;
        try {
            dump = Files.createTempFile("switchback-schema-", ".dump");
            run(List.of(config.pgDump(), "--schema-only", "--format=custom", "--no-owner", "--no-privileges",
                    "--file=" + dump, "--dbname=" + address.database()), address, target);
            run(List.of(config.pgRestore(), "--exit-on-error", "--no-owner", "--no-privileges",
                    "--dbname=" + copy, dump.toString()), address, target);
            copyHistoryAndStamp(target, copySpec, release);
        } catch (IOException e) {
            throw new Failure("cannot copy the schema to " + copy + ": " + e.getMessage(), e);
        } finally {
            if (dump != null) {
                try {
                    Files.deleteIfExists(dump);
                } catch (IOException e) {
                    LOG.warnf("cannot delete %s: %s", dump, e.getMessage());
                }
            }
        }
        LOG.infof("release %s: schema of %s copied to %s", release.id(), address.database(), copy);
        return copySpec;
    }

    /** Drops the copy, closing whatever sessions are left on it (a copy instance that was not stopped). */
    public void drop(DatabaseSpec target, String copy) {
        try (Connection server = TargetDatabase.connect(target); Statement ddl = server.createStatement()) {
            ddl.execute("DROP DATABASE IF EXISTS " + quote(copy) + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new Failure("cannot drop the copy " + copy + ": " + e.getMessage(), e);
        }
    }

    private void copyHistoryAndStamp(DatabaseSpec target, DatabaseSpec copySpec, ReleaseRef release) {
        String table = FlywayRunner.HISTORY_TABLE;
        try (Connection from = TargetDatabase.connect(target); Connection to = TargetDatabase.connect(copySpec)) {
            to.setAutoCommit(false);
            try (Statement probe = from.createStatement();
                 ResultSet exists = probe.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
                exists.next();
                if (exists.getBoolean(1)) {
                    copyRows(from, to, table);
                }
            }
            try (Statement stamp = to.createStatement()) {
                stamp.execute("CREATE SCHEMA IF NOT EXISTS switchback");
                stamp.execute("CREATE TABLE IF NOT EXISTS switchback.stamp (service TEXT NOT NULL, environment TEXT NOT NULL,"
                        + " stamped_at TIMESTAMPTZ NOT NULL DEFAULT now(), singleton BOOLEAN PRIMARY KEY DEFAULT true"
                        + " CHECK (singleton))");
                stamp.execute("DELETE FROM switchback.stamp");
            }
            try (PreparedStatement insert = to.prepareStatement(
                    "INSERT INTO switchback.stamp (service, environment) VALUES (?, ?)")) {
                insert.setString(1, release.service());
                insert.setString(2, COPY_ENVIRONMENT);
                insert.executeUpdate();
            }
            to.commit();
        } catch (SQLException e) {
            throw new Failure("cannot copy the migration history to " + copySpec.url() + ": " + e.getMessage(), e);
        }
    }

    private static void copyRows(Connection from, Connection to, String table) throws SQLException {
        try (Statement select = from.createStatement(); ResultSet rows = select.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData meta = rows.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(quote(meta.getColumnName(i)));
            }
            String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
            try (PreparedStatement insert = to.prepareStatement(sql)) {
                while (rows.next()) {
                    for (int i = 1; i <= columns.size(); i++) {
                        insert.setObject(i, rows.getObject(i));
                    }
                    insert.executeUpdate();
                }
            }
        }
    }

    private static void run(List<String> command, DatabaseAddress address, DatabaseSpec target) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        DatabaseAddress.Host host = address.hosts().get(0);
        builder.environment().put("PGHOST", host.name());
        builder.environment().put("PGPORT", Integer.toString(host.port()));
        builder.environment().put("PGUSER", target.username());
        String password = TargetDatabase.password(target);
        if (password != null) {
            builder.environment().put("PGPASSWORD", password);
        }
        Process process = builder.start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(command.get(0) + " exited " + process.exitValue() + ": "
                    + DatabaseAddresses.redact(output.strip()));
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
