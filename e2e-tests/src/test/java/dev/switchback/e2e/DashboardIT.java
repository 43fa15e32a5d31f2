package dev.switchback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchback.events.EventCodec;
import dev.switchback.infra.suite.Suite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (Debian's headless Chromium through chromedriver) against the packaged suite: it
 * shows what is live, follows a release through each step from the stream without reloading, rolls it back from a
 * button, shows the API's refusal, and shows a viewer no buttons; a contract release awaiting approval is approved or
 * rejected from its card by an approver, and refused to its own requester. Every wait is on a condition of the page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String CARD = "section.card[data-service='sample-app'][data-environment='local'] ";
    private static final String MIGRATION = "ALTER TABLE notes ADD COLUMN author TEXT";
    /** REQUESTER: submits the contract release; an approver too, yet refused the approval of their own release. */
    private static final String REQUESTER = "dash-lead";
    /** MARKER: set on the page once; still there at the end only if the page was never reloaded. */
    private static final String MARKER = "window.__switchbackTestMarker";

    private Suite suite;
    private WebDriver browser;
    private String dashboard;
    private String releaseId;
    private String contractId;

    @BeforeAll
    void start() {
        boolean installed = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but " + CHROMEDRIVER + " or " + CHROMIUM
                    + " is missing: .ci/run installs Debian's chromium and chromium-driver");
        }
        Assumptions.assumeTrue(installed, "DashboardIT skipped: no " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");
        suite = Suites.start("dashboard");
        dashboard = suite.config().url("release-api") + "/";
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000");
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    void shouldShowWhatIsLiveAndTheRefusalOfAPromotionWithNothingToPromote() {
        browser.get(dashboard);
        signIn(suite.tokens().token("dash-releaser", "releaser"));
        js(MARKER + " = 'never reloaded'");
        awaitText(CARD + ".live", t -> t.contains("1.0.0") && t.contains("blue"));
        awaitText(CARD + ".current .promoted", t -> t.contains("promoted"));
        awaitText(CARD + ".instances [data-state='LIVE']", t -> t.contains("1.0.0"));
        assertThat(text("#who")).contains("dash-releaser", "releaser").doesNotContain("approver");
        assertThat(browser.findElements(By.cssSelector(CARD + "button[data-action='approve']"))).isEmpty();

        click(CARD + ".current button[data-action='promote']");

        awaitText(CARD + ".problem", t -> t.contains("promote refused") && t.contains("409")
                && t.contains("was promoted already"));
    }

    @Test
    @Order(2)
    void shouldFollowAReleaseThroughEachStepWithoutReloading() throws Exception {
        // One canary step at 25 % for 3 s, then a bake long enough to roll back from the page however slow the machine.
        ObjectNode spec = (ObjectNode) EventCodec.mapper().readTree(
                suite.send("GET", "/services/sample-app/environments/local", null).body());
        ObjectNode rollout = (ObjectNode) spec.get("rollout");
        rollout.put("strategy", "canary").put("bakeSeconds", 120);
        rollout.putArray("steps").addObject().put("weight", 25).put("pauseSeconds", 3);
        // A quarter of the probe's requests must reach minRequests (5) in an interval (1 s) for a step to pass.
        ((ObjectNode) rollout.path("analysis").path("probe")).put("perSecond", 40);
        assertThat(suite.send("PUT", "/services/sample-app/environments/local", spec.toString()).statusCode())
                .isEqualTo(200);

        HttpResponse<String> accepted = suite.send("POST", "/releases", """
                {"service": "sample-app", "environment": "local", "version": "1.1.0",
                 "migrations": [{"version": "2", "description": "add note author", "sql": "%s"}]}
                """.formatted(MIGRATION), suite.tokens().token("dash-ci", "releaser"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        releaseId = EventCodec.mapper().readTree(accepted.body()).get("id").asText();

        String current = CARD + ".current[data-release='" + releaseId + "'] ";
        awaitText(current + "li[data-event='migration.succeeded']", t -> t.contains("DEPLOYING"));
        awaitText(current + ".migrations", t -> t.matches("(?s).*migration 2 add note author: \\d+ ms.*"));
        awaitText(current + "li[data-event='deployment.green-ready']", t -> t.contains("SWITCHING"));
        awaitText(current + "li[data-event='traffic.canary-step-started']", t -> t.contains("green takes 25%"));
        awaitText(current + "li[data-event='traffic.cutover-completed']", t -> t.contains("LIVE"));
        awaitText(current + ".canary", t -> t.contains("100 %"));
        awaitText(current + ".baking", t -> t.contains("baking"));
        awaitText(CARD + ".live", t -> t.contains("1.1.0") && t.contains("green") && t.contains("1.0.0 warm"));
        awaitText(CARD + ".instances [data-state='WARM']", t -> t.contains("1.0.0"));
        await(d -> intAttribute(current + "svg.analysis", "data-intervals") >= 3);
        awaitText(current + "figcaption", t -> t.contains("pass"));
        assertThat(browser.findElements(By.cssSelector(current + "button[data-action='rollback']"))).hasSize(1);
        assertThat(js("return " + MARKER)).isEqualTo("never reloaded");

        Path png = Path.of(System.getProperty("switchback.root", "..")).resolve("docs/dashboard.png");
        Files.createDirectories(png.getParent());
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), png,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(3)
    void shouldRollBackFromThePage() throws Exception {
        String current = CARD + ".current[data-release='" + releaseId + "'] ";
        click(current + "button[data-action='rollback']");

        awaitText(current + ".phase", t -> t.equals("ROLLED_BACK"));
        awaitText(CARD + ".live", t -> t.contains("1.0.0") && t.contains("blue"));
        awaitText(CARD + ".instances [data-state='ISOLATED']", t -> t.contains("1.1.0"));
        assertThat(browser.findElements(By.cssSelector(current + "button[data-action]"))).as("nothing left to do").isEmpty();
        assertThat(js("return " + MARKER)).isEqualTo("never reloaded");
        JsonNode release = EventCodec.mapper().readTree(suite.send("GET", "/releases/" + releaseId, null).body());
        assertThat(release.path("phase").asText()).isEqualTo("ROLLED_BACK");
        HttpResponse<String> version = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + suite.config().routerPort() + "/version")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(version.body()).isEqualTo("1.0.0");
        // The card's DORA line says what GET /metrics/dora computed from the releases, the rolled-back one included.
        JsonNode dora = EventCodec.mapper().readTree(suite.send("GET",
                "/metrics/dora?service=sample-app&environment=local&window=P7D", null).body()).path("figures").path(0);
        JsonNode failures = dora.path("changeFailureRate");
        assertThat(failures.path("failures").asInt()).isGreaterThanOrEqualTo(1);
        awaitText(CARD + ".dora", t -> t.contains(dora.path("deploymentFrequency").path("deployments").asInt() + " deployments")
                && t.contains("(" + failures.path("failures").asInt() + " of " + failures.path("cutovers").asInt() + ")"));
    }

    @Test
    @Order(4)
    void shouldShowAViewerNoButtons() {
        click("#sign-out");
        signIn(suite.tokens().token("dash-viewer", "viewer"));
        awaitText(CARD + ".live", t -> t.contains("1.0.0"));
        awaitText(CARD + ".history", t -> t.contains("ROLLED_BACK"));
        assertThat(text("#who")).contains("dash-viewer").doesNotContain("releaser");
        assertThat(browser.findElements(By.cssSelector("button[data-action]"))).isEmpty();
    }

    @Test
    @Order(5)
    void shouldOfferApprovalOnlyToApproversAndShowTheRefusalOfTheRequestersOwn() throws Exception {
        // A contract migration waits for a second person in every environment, local included.
        contractId = submitContract("3", "drop note author", "ALTER TABLE notes DROP COLUMN author",
                suite.tokens().token(REQUESTER, "releaser", "approver"));
        String current = CARD + ".current[data-release='" + contractId + "'] ";
        awaitText(current + ".phase", t -> t.equals("AWAITING_APPROVAL"));
        assertThat(browser.findElements(By.cssSelector("button[data-action]"))).as("a viewer's buttons").isEmpty();

        click("#sign-out");
        signIn(suite.tokens().token("dash-releaser", "releaser"));
        awaitText(current + "button[data-action='abort']", t -> t.equals("abort"));
        assertThat(browser.findElements(By.cssSelector(CARD + "button[data-action='approve'], "
                + CARD + "button[data-action='reject']"))).as("a releaser's buttons").isEmpty();

        click("#sign-out");
        signIn(suite.tokens().token(REQUESTER, "releaser", "approver"));
        awaitText(current + "button[data-action='reject']", t -> t.equals("reject"));
        click(current + "button[data-action='approve']");

        awaitText(CARD + ".problem", t -> t.contains("approve refused") && t.contains("403") && t.contains("Forbidden")
                && t.contains("was requested by " + REQUESTER + "; another approver must approve it"));
        assertThat(text(current + ".phase")).isEqualTo("AWAITING_APPROVAL");
        JsonNode release = EventCodec.mapper().readTree(suite.send("GET", "/releases/" + contractId, null).body());
        assertThat(release.path("phase").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(js("return " + MARKER)).isEqualTo("never reloaded");
    }

    @Test
    @Order(6)
    void shouldApproveFromThePageAndFollowTheContractReleaseToItsEnd() throws Exception {
        click("#sign-out");
        signIn(suite.tokens().token("dash-approver", "approver"));
        String current = CARD + ".current[data-release='" + contractId + "'] ";
        awaitText(current + "button[data-action='reject']", t -> t.equals("reject"));
        assertThat(browser.findElements(By.cssSelector(current + "button[data-action='abort']"))).as("an approver's").isEmpty();
        click(current + "button[data-action='approve']");

        awaitText(CARD + ".notice", t -> t.contains("approve of 1.0.0 asked for"));
        awaitText(current + ".phase", t -> !t.equals("AWAITING_APPROVAL"));
        // Proven on a copy, then applied: a contract release ends live and promoted, with no code deployed.
        awaitText(current + ".phase", t -> t.equals("LIVE"));
        awaitText(current + ".promoted", t -> t.contains("promoted"));
        assertThat(text(current + ".steps")).contains("QUEUED", "MIGRATING");
        assertThat(browser.findElements(By.cssSelector(current + "button[data-action]"))).as("nothing left to do").isEmpty();
        assertThat(browser.findElements(By.cssSelector(CARD + ".problem"))).isEmpty();
        assertThat(js("return " + MARKER)).isEqualTo("never reloaded");
        JsonNode release = EventCodec.mapper().readTree(suite.send("GET", "/releases/" + contractId, null).body());
        assertThat(release.path("approval").path("decidedBy").asText()).isEqualTo("dash-approver");
    }

    @Test
    @Order(7)
    void shouldRejectFromThePageAndEndTheReleaseCancelled() throws Exception {
        String rejectedId = submitContract("4", "drop note author again", "ALTER TABLE notes DROP COLUMN IF EXISTS author",
                suite.tokens().token("dash-ci", "releaser"));
        String current = CARD + ".current[data-release='" + rejectedId + "'] ";
        awaitText(current + ".phase", t -> t.equals("AWAITING_APPROVAL"));
        click(current + "button[data-action='reject']");

        awaitText(current + ".phase", t -> t.equals("CANCELLED"));
        awaitText(current + ".reason", t -> t.contains("rejected by dash-approver"));
        awaitText(CARD + ".history tr[data-release='" + rejectedId + "'] .phase", t -> t.equals("CANCELLED"));
        assertThat(browser.findElements(By.cssSelector(CARD + "button[data-action]"))).as("nothing left to decide").isEmpty();
        assertThat(js("return " + MARKER)).isEqualTo("never reloaded");
        JsonNode release = EventCodec.mapper().readTree(suite.send("GET", "/releases/" + rejectedId, null).body());
        assertThat(release.path("phase").asText()).isEqualTo("CANCELLED");
    }

    /** Submits a contract release of the live version through the API with a releaser's token; it awaits approval. */
    private String submitContract(String version, String description, String sql, String token) throws Exception {
        HttpResponse<String> accepted = suite.send("POST", "/releases", """
                {"service": "sample-app", "environment": "local", "version": "1.0.0", "changeKind": "contract",
                 "migrations": [{"version": "%s", "description": "%s", "sql": "%s"}]}
                """.formatted(version, description, sql), token);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode body = EventCodec.mapper().readTree(accepted.body());
        assertThat(body.path("phase").asText()).isEqualTo("AWAITING_APPROVAL");
        return body.get("id").asText();
    }

    private void signIn(String token) {
        await(d -> d.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
        awaitText("#stream-state", t -> t.equals("live"));
    }

    /** Clicks the element once it is there; the page redraws a card on each event, so a stale one is found again. */
    private void click(String css) {
        await(d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    private void awaitText(String css, Predicate<String> condition) {
        try {
            await(d -> condition.test(d.findElement(By.cssSelector(css)).getText().trim()));
        } catch (RuntimeException e) {
            throw new AssertionError("no " + css + " as expected within " + TIMEOUT + "; the page shows:\n"
                    + browser.findElement(By.tagName("body")).getText(), e);
        }
    }

    private int intAttribute(String css, String attribute) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? 0 : Integer.parseInt(found.get(0).getDomAttribute(attribute));
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void await(Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, TIMEOUT, Duration.ofMillis(100))
                .ignoring(NoSuchElementException.class).ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }
}
