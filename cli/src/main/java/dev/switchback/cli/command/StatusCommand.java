package dev.switchback.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.cli.Connection;
import dev.switchback.cli.Durations;
import dev.switchback.cli.ExitCodes;
import dev.switchback.cli.Output;
import dev.switchback.cli.UsageError;
import dev.switchback.cli.Watcher;
import dev.switchback.cli.api.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code switchback status}: where a release stands, and with {@code --watch} each step as it happens. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a release's phase and history; --watch follows it live until it ends.")
public class StatusCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Parameters(paramLabel = "ID", description = "the release id")
    String id;

    @Option(names = {"-w", "--watch"}, description = "follow the release live until it ends; the exit code tells how")
    boolean watch;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "with --watch: give up after this long, exit code 7")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        if (timeout != null && !watch) {
            throw new UsageError("--timeout goes with --watch");
        }
        ApiClient api = connection.api();
        Output out = connection.out();
        if (watch) {
            JsonNode last = new Watcher(api, out).follow(id, timeout, false);
            out.text(ReleaseCommand.summary(id, last));
            return ExitCodes.ofPhase(last.path("phase").asText());
        }
        JsonNode release = api.get("/releases/" + ApiClient.segment(id));
        out.document(release);
        out.release(release);
        for (JsonNode step : release.path("steps")) {
            out.step(step.path("at").asText(null), step.path("phase").asText(), step.path("event").asText(),
                    step.path("reason").asText(null));
        }
        return ExitCodes.ofPhase(release.path("phase").asText());
    }
}
