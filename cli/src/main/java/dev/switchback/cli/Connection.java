package dev.switchback.cli;

import dev.switchback.cli.api.ApiClient;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The options every command that calls the API takes: where it is, the token, and how to print. */
public class Connection {

    /** DEFAULT_URL: release-api of a suite started with {@code ./suite up}. */
    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    /** mixee: the command these options belong to, whose output streams the command prints on. */
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--url", paramLabel = "URL", description = "release-api's address (default: $SWITCHBACK_URL, else "
            + DEFAULT_URL + ")")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding the bearer token"
            + " (default: the token in $SWITCHBACK_TOKEN)")
    Path tokenFile;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json: one JSON document per line, for scripts")
    Format output;

    /** How the command prints. */
    public enum Format { text, json }

    /** The API client for the options and the environment. */
    public ApiClient api() {
        return new ApiClient(resolveUrl(url, System.getenv("SWITCHBACK_URL")),
                resolveToken(tokenFile, System.getenv("SWITCHBACK_TOKEN")));
    }

    public Output out() {
        return new Output(output == Format.json, mixee.commandLine().getOut());
    }

    static String resolveUrl(String option, String environment) {
        String chosen = option != null ? option : environment != null && !environment.isBlank() ? environment : DEFAULT_URL;
        if (!chosen.startsWith("http://") && !chosen.startsWith("https://")) {
            throw new UsageError("--url must be an http:// or https:// address, not " + chosen);
        }
        return chosen;
    }

    /** The token from the file when given, else from the environment; null when there is none (the API says 401). */
    static String resolveToken(Path file, String environment) {
        if (file != null) {
            try {
                String token = Files.readString(file).strip();
                if (token.isEmpty()) {
                    throw new UsageError("the token file " + file + " is empty");
                }
                return token;
            } catch (IOException e) {
                throw new UsageError("cannot read the token file " + file + ": " + e.getMessage());
            }
        }
        return environment == null || environment.isBlank() ? null : environment.strip();
    }
}
