package dev.switchback.messaging;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs a side effect only once the caller's transaction has committed: a relay wake-up, a process stop, a counted
 * metric must not happen for a decision that rolls back, and must not wait for anything while the row locks are held.
 */
public final class AfterCommit {

    private AfterCommit() {
    }

    /**
     * Runs the action after the current transaction commits, at once when there is no transaction, and never when the
     * transaction rolls back or is already bound to (marked rollback-only, completing).
     */
    public static void run(TransactionSynchronizationRegistry transactions, Runnable action) {
        if (transactions.getTransactionKey() == null) {
            action.run();
            return;
        }
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }
}
