package dev.switchback.cli;

import dev.switchback.cli.api.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code switchback lint} runs release-api's rules on files locally: refused is exit code 6, with rule and line. */
class LintCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAnIndexBuiltWithoutConcurrentlyNamingTheRuleAndTheLine() throws IOException {
        Path safe = Files.writeString(dir.resolve("V2__add_author.sql"), "ALTER TABLE notes ADD COLUMN author TEXT;\n");
        Path unsafe = Files.writeString(dir.resolve("V3__index_author.sql"), "-- speeds up the author page\n"
                + "CREATE INDEX notes_author ON notes (author);\n");

        Run run = Run.of("lint", safe.toString(), unsafe.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.out()).contains(unsafe + ":2: require-concurrent-index-creation").contains("refused");
        assertThat(run.out()).doesNotContain(safe + ":");
    }

    @Test
    void shouldAllowAnExpandChangeAndAnswerJsonForScripts() throws IOException {
        Path safe = Files.writeString(dir.resolve("V2__add_author.sql"), "ALTER TABLE notes ADD COLUMN author TEXT;\n");

        Run run = Run.of("lint", safe.toString(), "--output", "json");

        assertThat(run.code()).isEqualTo(ExitCodes.OK);
        assertThat(Json.read(run.out()).path("verdict").asText()).isEqualTo("allowed");
    }

    @Test
    void shouldRefuseADropInAnExpandReleaseButNotInAContractRelease() throws IOException {
        Path drop = Files.writeString(dir.resolve("drop.sql"), "ALTER TABLE notes DROP COLUMN author;\n");

        assertThat(Run.of("lint", drop.toString()).code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(Run.of("lint", "--change-kind", "contract", drop.toString()).code()).isEqualTo(ExitCodes.OK);
        assertThat(Run.of("lint", "--change-kind", "sideways", drop.toString()).code()).isEqualTo(ExitCodes.USAGE);
    }
}
