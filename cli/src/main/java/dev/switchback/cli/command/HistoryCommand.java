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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code switchback history}: a service's releases in an environment, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "List a service's releases in an environment, newest first.")
public class HistoryCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;

    @Parameters(index = "1", paramLabel = "ENVIRONMENT")
    String environment;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "show at most N (default 20)")
    int limit;

    @Override
    public Integer call() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("service", service);
        query.put("environment", environment);
        JsonNode releases = connection.api().get(ApiClient.path("/releases", query));
        Output out = connection.out();
        int shown = 0;
        for (JsonNode release : releases) {
            if (shown++ >= limit) {
                break;
            }
            out.document(release);
            out.text(String.format("%s  %-12s %-16s %s%s", release.path("requestedAt").asText(), release.path("version").asText(),
                    phase(release), release.path("id").asText(),
                    release.hasNonNull("reason") ? "  " + release.get("reason").asText() : ""));
        }
        if (shown == 0) {
            out.text("no releases of " + service + " in " + environment);
        }
        return ExitCodes.OK;
    }

    private static String phase(JsonNode release) {
        String phase = release.path("phase").asText();
        return "LIVE".equals(phase) && release.hasNonNull("promotedAt") ? "LIVE promoted" : phase;
    }
}
