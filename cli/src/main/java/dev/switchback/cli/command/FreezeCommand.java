package dev.switchback.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.cli.Connection;
import dev.switchback.cli.ExitCodes;
import dev.switchback.cli.Output;
import dev.switchback.cli.api.ApiClient;
import dev.switchback.cli.api.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code switchback freeze}: an environment's freeze windows, in which its releases queue instead of running. */
@Command(name = "freeze", mixinStandardHelpOptions = true,
        description = "Set, list or end an environment's freeze windows.")
public class FreezeCommand {

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Freeze an environment from START to END (admin).")
    static int set(@Mixin Connection connection, @Parameters(paramLabel = "ENVIRONMENT") String environment,
            @Option(names = "--start", required = true, paramLabel = "LOCAL", description = "e.g. 2026-12-24T00:00") String start,
            @Option(names = "--end", required = true, paramLabel = "LOCAL", description = "e.g. 2026-12-27T00:00") String end,
            @Option(names = "--zone", defaultValue = "UTC", paramLabel = "ZONE", description = "IANA zone, default UTC") String zone,
            @Option(names = "--reason", required = true, paramLabel = "WHY") String reason) {
        JsonNode freeze = connection.api().post("/environments/" + ApiClient.segment(environment) + "/freezes",
                Json.object().put("start", start).put("end", end).put("zone", zone).put("reason", reason));
        Output out = connection.out();
        out.document(freeze);
        out.text("frozen " + environment + ": " + line(freeze));
        return ExitCodes.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an environment's freeze windows.")
    static int list(@Mixin Connection connection, @Parameters(paramLabel = "ENVIRONMENT") String environment) {
        JsonNode freezes = connection.api().get("/environments/" + ApiClient.segment(environment) + "/freezes");
        Output out = connection.out();
        out.document(freezes);
        freezes.forEach(freeze -> out.text(line(freeze)));
        if (freezes.isEmpty()) {
            out.text("no freeze windows in " + environment);
        }
        return ExitCodes.OK;
    }

    @Command(name = "end", mixinStandardHelpOptions = true, description = "End a freeze window now (admin).")
    static int end(@Mixin Connection connection, @Parameters(index = "0", paramLabel = "ENVIRONMENT") String environment,
            @Parameters(index = "1", paramLabel = "ID") String id) {
        connection.api().delete("/environments/" + ApiClient.segment(environment) + "/freezes/" + ApiClient.segment(id));
        connection.out().text("ended freeze " + id + " in " + environment);
        connection.out().document(Json.object().put("id", id).put("ended", true));
        return ExitCodes.OK;
    }

    private static String line(JsonNode freeze) {
        return freeze.path("id").asText() + "  " + freeze.path("start").asText() + " .. " + freeze.path("end").asText()
                + "  " + freeze.path("reason").asText();
    }
}
