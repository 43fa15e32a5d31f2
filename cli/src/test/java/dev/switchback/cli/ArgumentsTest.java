package dev.switchback.cli;

import dev.switchback.cli.command.ReleaseCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the command line accepts, what it refuses as a usage error (2), and the request body it builds. */
class ArgumentsTest {

    private static final String NOWHERE = "http://127.0.0.1:9";

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAMissingCommandOrArgumentAsAUsageError() {
        assertThat(Run.of().code()).isEqualTo(ExitCodes.USAGE);
        assertThat(Run.of("release", "sample-app", "local").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(Run.of("release", "sample-app", "local", "1.0.0", "--no-such-option").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(Run.of("deploy").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(Run.of("lint").code()).as("needs a file").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void shouldRefuseOptionsThatOnlyGoWithWaiting() {
        Run run = Run.of("release", "sample-app", "local", "1.0.0", "--timeout", "5m", "--url", NOWHERE);
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--wait");
        assertThat(Run.of("status", "x", "--timeout", "5m").code()).isEqualTo(ExitCodes.USAGE);
        Run rollback = Run.of("rollback", "x", "--timeout", "5m", "--url", NOWHERE);
        assertThat(rollback.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(rollback.err()).contains("--timeout goes with --wait");
    }

    @Test
    void shouldReadDurationsAsPeopleWriteThem() {
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> Durations.parse("soon")).isInstanceOf(CommandLine.TypeConversionException.class);
        assertThatThrownBy(() -> Durations.parse("5 m")).isInstanceOf(CommandLine.TypeConversionException.class);
        assertThat(Run.of("release", "a", "b", "1.0.0", "--wait", "--timeout", "soon").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void shouldRefuseAMigrationFileNotNamedAsFlywayNamesThem() throws IOException {
        Path file = Files.writeString(dir.resolve("add-author.sql"), "ALTER TABLE notes ADD COLUMN author TEXT;");
        Run run = Run.of("release", "sample-app", "local", "1.1.0", "--migration", file.toString(), "--url", NOWHERE);
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("V<version>__<description>.sql").contains("add-author.sql");
        assertThat(run.printedAStackTrace()).isFalse();
    }

    @Test
    void shouldBuildTheReleaseRequestFromTheOptions() throws IOException {
        Path schema = Files.writeString(dir.resolve("V2__add_note_author.sql"), "ALTER TABLE notes ADD COLUMN author TEXT;");
        Path backfill = Files.writeString(dir.resolve("V3__fill_author.sql"), "UPDATE notes SET author = 'x' WHERE author IS NULL");
        ReleaseCommand command = new ReleaseCommand();
        new CommandLine(command).parseArgs("sample-app", "local", "1.1.0", "--migration", schema.toString(),
                "--backfill", backfill.toString(), "--fix", "blue is broken", "--allow-unsafe",
                "require-concurrent-index-creation=tiny table", "--split", "--commit-time", "2026-12-01T10:15:30+01:00");

        String body = command.body().toString();

        assertThat(body).contains("\"service\":\"sample-app\"", "\"environment\":\"local\"", "\"version\":\"1.1.0\"",
                "{\"version\":\"2\",\"description\":\"add note author\",\"sql\":\"ALTER TABLE notes ADD COLUMN author TEXT;\"}",
                "\"version\":\"3\"", "\"kind\":\"backfill\"", "\"fix\":\"blue is broken\"", "\"split\":true",
                "{\"rule\":\"require-concurrent-index-creation\",\"reason\":\"tiny table\"}",
                "\"commitTime\":\"2026-12-01T10:15:30+01:00\"");
    }

    @Test
    void shouldTakeTheTokenFromItsFileBeforeTheEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "  from-file\n");
        assertThat(Connection.resolveToken(file, "from-env")).isEqualTo("from-file");
        assertThat(Connection.resolveToken(null, "from-env")).isEqualTo("from-env");
        assertThat(Connection.resolveToken(null, " ")).isNull();
        assertThat(Connection.resolveUrl(null, null)).isEqualTo("http://127.0.0.1:8080");
        assertThat(Connection.resolveUrl(null, "https://switchback.example")).isEqualTo("https://switchback.example");
        assertThat(Connection.resolveUrl("http://a:1", "https://b")).isEqualTo("http://a:1");

        Run missing = Run.of("history", "sample-app", "local", "--token-file", dir.resolve("absent").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("cannot read the token file");
        assertThat(Run.of("history", "sample-app", "local", "--url", "ftp://x").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void shouldSayTheApiCannotBeReachedWithoutAStackTrace() {
        Run run = Run.of("history", "sample-app", "local", "--url", NOWHERE);
        assertThat(run.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains("cannot reach " + NOWHERE);
        assertThat(run.printedAStackTrace()).isFalse();
    }
}
