package dev.switchback.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchback.cli.Connection;
import dev.switchback.cli.ExitCodes;
import dev.switchback.cli.MigrationFiles;
import dev.switchback.cli.Output;
import dev.switchback.cli.UsageError;
import dev.switchback.cli.Watcher;
import dev.switchback.cli.api.ApiClient;
import dev.switchback.cli.api.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code switchback release}: ships a version, and with {@code --wait} follows it to its outcome. */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Ship a version of a service to an environment (POST /releases).")
public class ReleaseCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "the registered service, e.g. sample-app")
    String service;

    @Parameters(index = "1", paramLabel = "ENVIRONMENT", description = "where to ship it, e.g. production")
    String environment;

    @Parameters(index = "2", paramLabel = "VERSION", description = "the semantic version, e.g. 1.4.0")
    String version;

    @Option(names = "--migration", paramLabel = "FILE", description = "a schema migration, V<version>__<description>.sql;"
            + " repeat for several, in order")
    List<Path> migrations = new ArrayList<>();

    @Option(names = "--backfill", paramLabel = "FILE", description = "a backfill migration (one UPDATE or DELETE run in"
            + " batches), named like --migration")
    List<Path> backfills = new ArrayList<>();

    @Option(names = "--artifact", paramLabel = "PATH", description = "what to run instead of the spec's artifact")
    String artifact;

    @Option(names = "--change-kind", paramLabel = "KIND", description = "expand (default: rides with code) or contract"
            + " (destructive, alone)")
    String changeKind;

    @Option(names = "--split", description = "turn contract statements into a second, linked release")
    boolean split;

    @Option(names = "--emergency", paramLabel = "WHY", description = "run through a freeze window, for this reason (admin)")
    String emergency;

    @Option(names = "--fix", paramLabel = "WHY", description = "a fix release: go on past an unhealthy blue, for this reason")
    String fix;

    @Option(names = "--allow-unsafe", paramLabel = "RULE=REASON", description = "override a lint rule, with the reason"
            + " (needs a second person's approval)")
    Map<String, String> allowUnsafe;

    @Option(names = "--commit-time", paramLabel = "TIME", description = "when the change was committed (RFC 3339,"
            + " e.g. from git log -1 --format=%%cI): where its lead time for changes starts")
    String commitTime;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "the same key ships the same release once,"
            + " e.g. the pipeline run id")
    String idempotencyKey;

    @Mixin
    WaitOptions wait;

    @Option(names = "--until-live", description = "with --wait: stop once green takes all traffic, before the bake ends")
    boolean untilLive;

    @Override
    public Integer call() throws Exception {
        if (untilLive && !wait.await) {
            throw new UsageError("--until-live goes with --wait");
        }
        wait.check();
        ApiClient api = connection.api();
        Output out = connection.out();
        JsonNode accepted = api.post("/releases", body(), idempotencyKey == null ? Map.of()
                : Map.of("Idempotency-Key", idempotencyKey));
        out.document(accepted);
        String id = accepted.path("id").asText();
        out.text("release " + id + " accepted: " + accepted.path("phase").asText());
        for (JsonNode linked : accepted.path("linked")) {
            out.text("  linked contract release " + linked.path("id").asText() + ": " + linked.path("phase").asText());
        }
        if (!wait.await) {
            return ExitCodes.OK;
        }
        JsonNode last = new Watcher(api, out).follow(id, wait.timeout, untilLive);
        out.text(summary(id, last));
        return ExitCodes.ofPhase(last.path("phase").asText());
    }

    static String summary(String id, JsonNode release) {
        String phase = release.path("phase").asText();
        String reason = release.hasNonNull("reason") ? ": " + release.get("reason").asText() : "";
        return "release " + id + " ended " + ("LIVE".equals(phase) ? (release.hasNonNull("promotedAt") ? "LIVE, promoted"
                : "LIVE (still baking)") : phase) + reason;
    }

    /** The body of POST /releases from the options. */
    public ObjectNode body() {
        ObjectNode body = Json.object().put("service", service).put("environment", environment).put("version", version);
        List<MigrationFiles.Migration> all = MigrationFiles.readAll(migrations, backfills);
        if (!all.isEmpty()) {
            body.set("migrations", MigrationFiles.toJson(all));
        }
        putIfSet(body, "artifact", artifact);
        putIfSet(body, "changeKind", changeKind);
        putIfSet(body, "emergency", emergency);
        putIfSet(body, "fix", fix);
        putIfSet(body, "commitTime", commitTime);
        if (split) {
            body.put("split", true);
        }
        if (allowUnsafe != null && !allowUnsafe.isEmpty()) {
            allowUnsafe.forEach((rule, reason) -> body.withArray("allowUnsafe").addObject().put("rule", rule)
                    .put("reason", reason));
        }
        return body;
    }

    private static void putIfSet(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
