package dev.switchback.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchback.cli.Connection;
import dev.switchback.cli.ExitCodes;
import dev.switchback.cli.MigrationFiles;
import dev.switchback.cli.Output;
import dev.switchback.cli.api.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code switchback plan}: release-api's dry run ({@code POST /migrations/plan}): the order the migrations would run in
 * against the service's target database, which of them it already has, and the lint's verdict. Nothing is changed.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Dry-run migrations against a service's target database (POST /migrations/plan); exit code 6 when"
                + " the lint refuses them.")
public class PlanCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;

    @Parameters(index = "1", paramLabel = "ENVIRONMENT")
    String environment;

    @Option(names = "--migration", paramLabel = "FILE", required = true, description = "V<version>__<description>.sql;"
            + " repeat for several")
    List<Path> migrations = new ArrayList<>();

    @Option(names = "--backfill", paramLabel = "FILE", description = "a backfill migration, named like --migration")
    List<Path> backfills = new ArrayList<>();

    @Option(names = "--change-kind", paramLabel = "KIND", description = "expand (default) or contract")
    String changeKind;

    @Override
    public Integer call() {
        ObjectNode body = Json.object().put("service", service).put("environment", environment);
        body.set("migrations", MigrationFiles.toJson(MigrationFiles.readAll(migrations, backfills)));
        if (changeKind != null) {
            body.put("changeKind", changeKind);
        }
        JsonNode plan = connection.api().post("/migrations/plan", body);
        Output out = connection.out();
        out.document(plan);
        for (JsonNode step : plan.path("steps")) {
            out.text(String.format("%-8s %-10s %s", step.path("version").asText(), step.path("state").asText(),
                    step.path("description").asText()));
        }
        JsonNode lint = plan.path("lint");
        for (JsonNode violation : lint.path("violations")) {
            out.text("V" + violation.path("migration").asText() + ":" + violation.path("line").asText() + ": "
                    + violation.path("rule").asText() + ": " + violation.path("message").asText());
        }
        out.text("lint " + lint.path("verdict").asText() + " as " + lint.path("changeKind").asText());
        return "refused".equals(lint.path("verdict").asText()) ? ExitCodes.REFUSED : ExitCodes.OK;
    }
}
