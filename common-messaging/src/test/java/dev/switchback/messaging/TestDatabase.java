package dev.switchback.messaging;

import dev.switchback.infra.Postgres;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import dev.switchback.infra.SharedInfra;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A database of its own in the shared real PostgreSQL with the messaging tables, and the little of a transaction
 * manager the module's beans rely on: a transaction begun on a thread is the one every connection taken on that
 * thread joins (as JTA enlists a service's connections), and its synchronizations run when it ends.
 */
final class TestDatabase implements DataSource, TransactionSynchronizationRegistry {

    private static final String[] SCHEMA = {"db/messaging/V0_1__outbox.sql", "db/messaging/V0_2__ended_release.sql",
            "db/messaging/R__outbox_traceparent.sql"};

    private final AgroalDataSource server;
    private final ThreadLocal<Tx> current = new ThreadLocal<>();

    /** A connection pool as the services have (Agroal), so a relay's batch starts as quickly as theirs does. */
    private TestDatabase(String url) {
        try {
            server = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool.maxSize(20).connectionFactoryConfiguration(
                            factory -> factory.jdbcUrl(url).principal(new NamePrincipal(Postgres.USER)))));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a pool on " + url, e);
        }
    }

    /** A fresh database with the messaging tables as the services' Flyway creates them. */
    static TestDatabase create(String name) {
        TestDatabase database = new TestDatabase(SharedInfra.get().postgres().createDatabase(name));
        try (Connection connection = database.server.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
            for (String script : SCHEMA) {
                try (InputStream in = TestDatabase.class.getClassLoader().getResourceAsStream(script)) {
                    statement.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot set up database " + name, e);
        }
        return database;
    }

    /** An open transaction of the current thread. */
    final class Tx {
        private final Connection connection;
        private final Map<Object, Object> resources = new HashMap<>();
        private final List<Synchronization> synchronizations = new ArrayList<>();
        private boolean open = true;

        private Tx(Connection connection) {
            this.connection = connection;
        }

        /** Commits; may be called from another thread than the one that began it. */
        void commit() {
            end(true);
        }

        void rollback() {
            end(false);
        }

        private synchronized void end(boolean commit) {
            try (connection) {
                if (commit) {
                    connection.commit();
                } else {
                    connection.rollback();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            } finally {
                open = false;
            }
            synchronizations.forEach(s -> s.afterCompletion(commit ? Status.STATUS_COMMITTED : Status.STATUS_ROLLEDBACK));
        }
    }

    /** Begins a transaction on the current thread. */
    Tx begin() {
        try {
            Connection connection = server.getConnection();
            connection.setAutoCommit(false);
            Tx tx = new Tx(connection);
            current.set(tx);
            return tx;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the work in a transaction of its own on the current thread and commits it. */
    void inTransaction(Runnable work) {
        Tx tx = begin();
        try {
            work.run();
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
        tx.commit();
    }

    private Tx active() {
        Tx tx = current.get();
        return tx != null && tx.open ? tx : null;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Tx tx = active();
        if (tx == null) {
            return server.getConnection();
        }
        // The transaction's connection, which the caller's close must not end (JTA closes it at the end).
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(tx.connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public int getTransactionStatus() {
        return active() == null ? Status.STATUS_NO_TRANSACTION : Status.STATUS_ACTIVE;
    }

    @Override
    public Object getResource(Object key) {
        return active().resources.get(key);
    }

    @Override
    public void putResource(Object key, Object value) {
        active().resources.put(key, value);
    }

    @Override
    public void registerInterposedSynchronization(Synchronization sync) {
        active().synchronizations.add(sync);
    }

    @Override
    public Object getTransactionKey() {
        return active();
    }

    @Override
    public void setRollbackOnly() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean getRollbackOnly() {
        return false;
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
