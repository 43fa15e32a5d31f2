package dev.switchback.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The shapes of names and text the APIs accept: nothing that breaks a host, a path, a shell or a log line. */
class NamesTest {

    @Test
    void shouldAcceptLowerCaseNamesWithInnerDashesUpTo63Characters() {
        assertThat("sample-app").matches(Names.NAME);
        assertThat("a").matches(Names.NAME);
        assertThat("a".repeat(63)).matches(Names.NAME);
    }

    @Test
    void shouldRefuseNamesThatAreNotHostOrDatabaseSafe() {
        for (String name : new String[]{"", "-app", "app-", "Sample", "sample_app", "sample.app", "a".repeat(64), "app\n"}) {
            assertThat(name.matches(Names.NAME)).as("name %s", name).isFalse();
        }
    }

    @Test
    void shouldRefuseControlCharactersInFreeText() {
        assertThat("rolled back: error rate 4.2% > 1%").matches(Names.TEXT);
        assertThat("ok\nINFO forged log line".matches(Names.TEXT)).isFalse();
        assertThat("tab\there".matches(Names.TEXT)).isFalse();
    }

    @Test
    void shouldAcceptArtifactPathsAndUrlsButNoParentSegmentOrShellCharacters() {
        assertThat("/opt/sample-app/sample-app-{version}.jar").matches(Names.ARTIFACT);
        assertThat("https://repo.example/app/1.0.0/app.jar").matches(Names.ARTIFACT);
        for (String artifact : new String[]{"../etc/passwd", "/opt/../etc/passwd", "/opt/app.jar; rm -rf /",
                "/opt/app $(id).jar", "/opt/..", ""}) {
            assertThat(artifact.matches(Names.ARTIFACT)).as("artifact %s", artifact).isFalse();
        }
        assertThat("/opt/app..jar").matches(Names.ARTIFACT);
    }

    @Test
    void shouldAcceptAbsoluteHttpPathsWithoutParentSegments() {
        assertThat("/health").matches(Names.HTTP_PATH);
        assertThat("/q/health/ready").matches(Names.HTTP_PATH);
        for (String path : new String[]{"health", "/a/../b", "/..", "/health?x=1", "/a b"}) {
            assertThat(path.matches(Names.HTTP_PATH)).as("path %s", path).isFalse();
        }
    }
}
