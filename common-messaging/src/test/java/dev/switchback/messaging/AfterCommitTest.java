package dev.switchback.messaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A side effect waits for its transaction's commit, runs at once without one, and never runs for a rollback. */
class AfterCommitTest {

    private static TestDatabase database;

    @BeforeAll
    static void setUp() {
        database = TestDatabase.create("messaging_after_commit");
    }

    @Test
    void shouldRunTheActionOnlyOnceTheTransactionCommits() {
        AtomicInteger runs = new AtomicInteger();
        TestDatabase.Tx tx = database.begin();
        AfterCommit.run(database, runs::incrementAndGet);

        assertThat(runs).hasValue(0);
        tx.commit();
        assertThat(runs).hasValue(1);
    }

    @Test
    void shouldNeverRunTheActionOfATransactionRolledBack() {
        AtomicInteger runs = new AtomicInteger();
        TestDatabase.Tx tx = database.begin();
        AfterCommit.run(database, runs::incrementAndGet);

        tx.rollback();

        assertThat(runs).hasValue(0);
    }

    @Test
    void shouldRunTheActionAtOnceOutsideATransaction() {
        AtomicInteger runs = new AtomicInteger();

        AfterCommit.run(database, runs::incrementAndGet);

        assertThat(runs).hasValue(1);
    }
}
