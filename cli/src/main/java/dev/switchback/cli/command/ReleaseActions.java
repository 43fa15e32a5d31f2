package dev.switchback.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.cli.Connection;
import dev.switchback.cli.ExitCodes;
import dev.switchback.cli.Output;
import dev.switchback.cli.Watcher;
import dev.switchback.cli.api.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.function.Predicate;

/**
 * What an operator or approver does to one release: one API call each, the answer printed. With {@code --wait} the
 * command then follows the release until it ends: 0 when it ends as the command asks ({@link Goal}), else the code of
 * the end it reached instead, so a CI job can tell its rollback done from a release that failed first.
 */
@Command(name = "actions", hidden = true)
public class ReleaseActions {

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Put traffic back on blue in one step, while the release bakes (releaser).")
    static int rollback(@Mixin Connection connection, @Mixin WaitOptions wait,
            @Parameters(paramLabel = "ID") String id,
            @Option(names = "--reason", paramLabel = "WHY") String reason) throws InterruptedException {
        return act(connection, wait, Goal.ROLLED_BACK, id, "rollback", "reason", reason, "rollback requested");
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "End the canary or the bake now; blue is retired (releaser).")
    static int promote(@Mixin Connection connection, @Mixin WaitOptions wait,
            @Parameters(paramLabel = "ID") String id,
            @Option(names = "--reason", paramLabel = "WHY") String reason) throws InterruptedException {
        return act(connection, wait, Goal.PROMOTED, id, "promote", "reason", reason, "promotion requested");
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Stop a release before cutover; its green is torn down (releaser).")
    static int abort(@Mixin Connection connection, @Mixin WaitOptions wait,
            @Parameters(paramLabel = "ID") String id,
            @Option(names = "--reason", paramLabel = "WHY") String reason) throws InterruptedException {
        return act(connection, wait, Goal.CANCELLED, id, "abort", "reason", reason, "aborted");
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a release awaiting approval; it joins the queue (approver, not its requester).")
    static int approve(@Mixin Connection connection, @Mixin WaitOptions wait,
            @Parameters(paramLabel = "ID") String id,
            @Option(names = "--comment", paramLabel = "TEXT") String comment) throws InterruptedException {
        return act(connection, wait, Goal.PROMOTED, id, "approve", "comment", comment, "approved");
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Reject a release awaiting approval; it is cancelled (approver).")
    static int reject(@Mixin Connection connection, @Mixin WaitOptions wait,
            @Parameters(paramLabel = "ID") String id,
            @Option(names = "--comment", paramLabel = "TEXT") String comment) throws InterruptedException {
        return act(connection, wait, Goal.CANCELLED, id, "reject", "comment", comment, "rejected");
    }

    private static int act(Connection connection, WaitOptions wait, Goal goal, String id, String action, String parameter,
            String value, String done) throws InterruptedException {
        wait.check();
        ApiClient api = connection.api();
        JsonNode answer = api.post(ApiClient.path("/releases/" + ApiClient.segment(id) + "/" + action,
                value == null ? Map.of() : Map.of(parameter, value)), null);
        Output out = connection.out();
        out.document(answer);
        out.text("release " + id + " " + done + ": " + answer.path("phase").asText()
                + (answer.hasNonNull("reason") ? " (" + answer.get("reason").asText() + ")" : ""));
        if (!wait.await) {
            return ExitCodes.OK;
        }
        // The stream's snapshot comes first, so a release the answer already ended (aborted, rejected) returns at once.
        JsonNode last = new Watcher(api, out).follow(id, wait.timeout, false);
        int code = goal.exitCode(last);
        out.text(ReleaseCommand.summary(id, last) + (code == ExitCodes.ERROR ? ", not " + goal.wanted : ""));
        return code;
    }

    /** Goal: the end an action's {@code --wait} waits for, which exits 0. */
    enum Goal {
        /** ROLLED_BACK: rollback's: traffic back on blue. */
        ROLLED_BACK("ROLLED_BACK", release -> "ROLLED_BACK".equals(phase(release))),
        /**
         * PROMOTED: promote's, live and promoted; and approve's, whose approved release ships, so its outcome is read
         * as {@code release --wait} reads it (a contract release ends promoted too).
         */
        PROMOTED("LIVE, promoted", Goal::promoted),
        /** CANCELLED: abort's and reject's: stopped before going live. */
        CANCELLED("CANCELLED", release -> "CANCELLED".equals(phase(release)));

        /** wanted: the end, as the summary line names it. */
        final String wanted;
        private final Predicate<JsonNode> reached;

        Goal(String wanted, Predicate<JsonNode> reached) {
            this.wanted = wanted;
            this.reached = reached;
        }

        /**
         * The exit code of the release's end: 0 when it is the goal, else that end's own code (3 rolled back, 4
         * failed, 5 cancelled). An end whose own code is 0 (promoted) that is not the goal is 1: a rollback or abort
         * --wait must not pass a CI job when the release shipped instead.
         */
        int exitCode(JsonNode release) {
            if (reached.test(release)) {
                return ExitCodes.OK;
            }
            int own = ExitCodes.ofPhase(phase(release));
            return own == ExitCodes.OK ? ExitCodes.ERROR : own;
        }

        private static boolean promoted(JsonNode release) {
            return "LIVE".equals(phase(release)) && release.hasNonNull("promotedAt");
        }

        private static String phase(JsonNode release) {
            return release.path("phase").asText();
        }
    }
}
