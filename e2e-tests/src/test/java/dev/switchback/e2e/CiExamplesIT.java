package dev.switchback.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchback.infra.suite.Suite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI examples in {@code examples/} read as their CI reads them and run against the packaged suite: each step's or
 * job's shell commands, with the CI's variables and expressions filled in, in a checkout with a migration. An HTTP
 * server in the test plays what the CI provides: the published switchback.jar, and GitHub's OIDC token endpoint (its
 * tokens are signed with the suite's key, which the suite trusts as it would trust GitHub's).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CiExamplesIT {

    private static final Path ROOT = Path.of(System.getProperty("switchback.root", "..")).toAbsolutePath().normalize();
    private static final Duration STEP = Duration.ofMinutes(3);
    private static final String REQUEST_TOKEN = "runner-request-token";
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([a-z_.A-Z]+)\\s*}}");

    private Suite suite;
    private HttpServer ci;
    private String ciUrl;
    private Path checkout;
    private String oidcToken;

    @BeforeAll
    void start() throws Exception {
        suite = Suites.start("ci-examples");
        oidcToken = suite.tokens().token("repo:acme/sample-app:environment:local", List.of("releaser"), List.of("local"),
                Duration.ofMinutes(30));
        ci = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ci.createContext("/switchback.jar", exchange -> reply(exchange, 200, Files.readAllBytes(CliProcess.jar(ROOT))));
        ci.createContext("/oidc", this::issueToken);
        ci.start();
        ciUrl = "http://127.0.0.1:" + ci.getAddress().getPort();
        checkout = Files.createDirectories(ROOT.resolve("e2e-tests/target/ci-examples/checkout/db/migration")).getParent().getParent();
        Files.writeString(checkout.resolve("db/migration/V2__add_note_tag.sql"), "ALTER TABLE notes ADD COLUMN tag TEXT;\n");
    }

    @AfterAll
    void stop() {
        if (ci != null) {
            ci.stop(0);
        }
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    @SuppressWarnings("unchecked")
    void shouldShipAGoodTagThroughTheGitHubWorkflowWithTheJobsOidcToken() throws Exception {
        Map<String, Object> workflow = yaml("examples/github-actions/release.yml");
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) workflow.get("jobs")).get("release");
        assertThat((Map<String, Object>) workflow.get("permissions")).containsEntry("id-token", "write");
        assertThat(substitute((String) job.get("environment"))).isEqualTo("local");

        List<StepRun> runs = runGitHubJob(job, "v1.1.0");

        assertThat(runs).allSatisfy(run -> assertThat(run.code()).as(run.name() + ":\n" + run.output()).isZero());
        assertThat(runs).extracting(StepRun::name).contains("Lint the migrations", "Release and wait for the outcome");
        assertThat(runs.get(runs.size() - 1).output()).contains("1.1.0 is live and promoted");
        assertThat(suite.send("GET", "/releases?service=sample-app&environment=local", null).body())
                .contains("repo:acme/sample-app:environment:local");
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void shouldFailTheGitHubJobWhenTheReleaseIsRolledBack() throws Exception {
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) yaml("examples/github-actions/release.yml")
                .get("jobs")).get("release");

        List<StepRun> runs = runGitHubJob(job, "v1.2.0-fail");

        StepRun last = runs.get(runs.size() - 1);
        assertThat(last.name()).isEqualTo("Release and wait for the outcome");
        assertThat(last.code()).as(last.output()).isEqualTo(3);
        assertThat(last.output()).contains("::error::1.2.0-fail was rolled back");
    }

    @Test
    @Order(3)
    @SuppressWarnings("unchecked")
    void shouldShipATagThroughTheGitLabJobsWithTheJobsIdToken() throws Exception {
        Map<String, Object> pipeline = yaml("examples/gitlab/.gitlab-ci.yml");
        Map<String, Object> template = (Map<String, Object>) pipeline.get(".switchback");
        Map<String, Object> release = (Map<String, Object>) pipeline.get("release");
        Map<String, Object> idTokens = (Map<String, Object>) release.get("id_tokens");
        assertThat(((Map<String, Object>) idTokens.get("SWITCHBACK_TOKEN")).get("aud")).isEqualTo("switchback");

        Map<String, String> env = new LinkedHashMap<>((Map<String, String>) pipeline.get("variables"));
        env.putAll(Map.of("SWITCHBACK_URL", suite.config().url("release-api"), "SWITCHBACK_CLI_URL", ciUrl + "/switchback.jar",
                "SWITCHBACK_ENVIRONMENT", "local", "CI_COMMIT_TAG", "v1.3.0", "CI_PIPELINE_ID", "4711",
                // What id_tokens puts there: a token from the issuer the suite trusts.
                "SWITCHBACK_TOKEN", oidcToken));
        for (String name : List.of("lint", "release")) {
            Map<String, Object> job = (Map<String, Object>) pipeline.get(name);
            assertThat(job.get("extends")).isEqualTo(".switchback");
            List<String> lines = new ArrayList<>((List<String>) template.get("before_script"));
            lines.addAll((List<String>) job.get("script"));
            CliProcess run = CliProcess.start(List.of("bash", "-eo", "pipefail", "-c", String.join("\n", lines)), env, checkout);
            assertThat(run.await(STEP)).as(name + ":\n" + run.output()).isZero();
            if (name.equals("release")) {
                assertThat(run.stdout()).contains("ended LIVE, promoted");
            }
        }
    }

    private record StepRun(String name, int code, String output) {
    }

    /** Runs the job's steps with a shell command in order, as the runner does, until one fails. */
    @SuppressWarnings("unchecked")
    private List<StepRun> runGitHubJob(Map<String, Object> job, String tag) throws Exception {
        Path runnerTemp = Files.createTempDirectory(ROOT.resolve("e2e-tests/target"), "runner-temp");
        Map<String, String> env = new LinkedHashMap<>();
        ((Map<String, Object>) job.get("env")).forEach((name, value) -> env.put(name, substitute(String.valueOf(value))));
        env.putAll(Map.of("RUNNER_TEMP", runnerTemp.toString(), "GITHUB_REF_NAME", tag, "GITHUB_RUN_ID", "12345" + tag.hashCode(),
                "GITHUB_RUN_ATTEMPT", "1", "ACTIONS_ID_TOKEN_REQUEST_URL", ciUrl + "/oidc?api-version=2.0",
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN));
        List<StepRun> runs = new ArrayList<>();
        for (Map<String, Object> step : (List<Map<String, Object>>) job.get("steps")) {
            if (!step.containsKey("run")) {
                continue;
            }
            String script = substitute((String) step.get("run"));
            // The runner's default shell for run steps.
            CliProcess run = CliProcess.start(List.of("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script), env,
                    checkout);
            int code = run.await(STEP);
            runs.add(new StepRun(String.valueOf(step.get("name")), code, run.output()));
            if (code != 0) {
                break;
            }
        }
        return runs;
    }

    /** Fills in the workflow's expressions as GitHub would for this repository's variables. */
    private String substitute(String text) {
        Map<String, String> values = Map.of("vars.SWITCHBACK_URL", suite.config().url("release-api"),
                "vars.SWITCHBACK_CLI_URL", ciUrl + "/switchback.jar", "vars.SWITCHBACK_ENVIRONMENT", "local");
        Matcher matcher = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            assertThat(value).as("a value for ${{ " + matcher.group(1) + " }}").isNotNull();
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** GitHub's token endpoint: the runner's request token, an audience, and the job's token back as {"value": ...}. */
    private void issueToken(HttpExchange exchange) throws IOException {
        String query = String.valueOf(exchange.getRequestURI().getQuery());
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        if (!authorization.equalsIgnoreCase("bearer " + REQUEST_TOKEN) || !query.contains("audience=switchback")) {
            reply(exchange, 401, "{\"message\":\"bad request token or audience\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        reply(exchange, 200, ("{\"count\":1,\"value\":\"" + oidcToken + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, Object> yaml(String path) throws IOException {
        try (var reader = Files.newBufferedReader(ROOT.resolve(path))) {
            return new Yaml().load(reader);
        }
    }
}
