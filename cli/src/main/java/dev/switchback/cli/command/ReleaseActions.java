package dev.switchback.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.cli.Connection;
import dev.switchback.cli.ExitCodes;
import dev.switchback.cli.Output;
import dev.switchback.cli.api.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** What an operator or approver does to one release: one API call each, the answer printed. */
@Command(name = "actions", hidden = true)
public class ReleaseActions {

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Put traffic back on blue in one step, while the release bakes (releaser).")
    static int rollback(@Mixin Connection connection, @Parameters(paramLabel = "ID") String id,
                 @Option(names = "--reason", paramLabel = "WHY") String reason) {
        return act(connection, id, "rollback", "reason", reason, "rollback requested");
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "End the canary or the bake now; blue is retired (releaser).")
    static int promote(@Mixin Connection connection, @Parameters(paramLabel = "ID") String id,
                @Option(names = "--reason", paramLabel = "WHY") String reason) {
        return act(connection, id, "promote", "reason", reason, "promotion requested");
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Stop a release before cutover; its green is torn down (releaser).")
    static int abort(@Mixin Connection connection, @Parameters(paramLabel = "ID") String id,
              @Option(names = "--reason", paramLabel = "WHY") String reason) {
        return act(connection, id, "abort", "reason", reason, "aborted");
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a release awaiting approval; it joins the queue (approver, not its requester).")
    static int approve(@Mixin Connection connection, @Parameters(paramLabel = "ID") String id,
                @Option(names = "--comment", paramLabel = "TEXT") String comment) {
        return act(connection, id, "approve", "comment", comment, "approved");
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Reject a release awaiting approval; it is cancelled (approver).")
    static int reject(@Mixin Connection connection, @Parameters(paramLabel = "ID") String id,
               @Option(names = "--comment", paramLabel = "TEXT") String comment) {
        return act(connection, id, "reject", "comment", comment, "rejected");
    }

    private static int act(Connection connection, String id, String action, String parameter, String value, String done) {
        JsonNode answer = connection.api().post(ApiClient.path("/releases/" + ApiClient.segment(id) + "/" + action,
                value == null ? Map.of() : Map.of(parameter, value)), null);
        Output out = connection.out();
        out.document(answer);
        out.text("release " + id + " " + done + ": " + answer.path("phase").asText()
                + (answer.hasNonNull("reason") ? " (" + answer.get("reason").asText() + ")" : ""));
        return ExitCodes.OK;
    }
}
