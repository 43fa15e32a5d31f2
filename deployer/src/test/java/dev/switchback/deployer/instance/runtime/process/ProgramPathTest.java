package dev.switchback.deployer.instance.runtime.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/** Programs found as execvp(3) finds them, checked on real files: what is not an executable file is never started. */
class ProgramPathTest {

    @TempDir
    Path dir;

    @Test
    void shouldTakeTheFirstExecutableOfThatNameAlongPath() throws Exception {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        file(first.resolve("app"), "rw-r--r--");
        Path executable = file(second.resolve("app"), "rwxr-xr-x");
        file(dir.resolve("third-app"), "rwxr-xr-x");

        assertThat(ProgramPath.resolve("app", first + ":" + second, dir)).as("a file that is not executable is passed over")
                .isEqualTo(executable);
    }

    @Test
    void shouldReadAnEmptyPathEntryAsTheWorkingDirectoryAndNoPathAsExecvpsDefault() throws Exception {
        Path here = file(dir.resolve("here"), "rwxr-xr-x");

        assertThat(ProgramPath.resolve("here", "/nonexistent::/also-not", dir)).isEqualTo(here);
        assertThat(ProgramPath.resolve("sh", null, dir)).isIn(Path.of("/bin/sh"), Path.of("/usr/bin/sh"));
    }

    @Test
    void shouldTakeANameWithASlashAsAPathAndNeverSearchIt() throws Exception {
        Files.createDirectories(dir.resolve("bin"));
        Path app = file(dir.resolve("bin/app"), "rwxr-xr-x");

        assertThat(ProgramPath.resolve("bin/app", "/nonexistent", dir)).isEqualTo(app);
        assertThat(ProgramPath.resolve(app.toString(), "/nonexistent", Path.of("/"))).isEqualTo(app);
        assertThatIOException().isThrownBy(() -> ProgramPath.resolve("bin/app", dir.resolve("bin").toString(), Path.of("/")))
                .withMessageContaining("bin/app").withMessageContaining("no executable file there");
    }

    @Test
    void shouldRefuseWhatIsNotAnExecutableFile() throws Exception {
        file(dir.resolve("plain"), "rw-r--r--");
        Files.createDirectories(dir.resolve("directory"));
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("gone"));
        String path = dir.toString();

        for (String program : new String[] {"plain", "directory", "dangling", "missing", "", dir + "/plain",
                dir + "/directory", dir + "/missing", "/"}) {
            assertThatIOException().as("program '%s'", program).isThrownBy(() -> ProgramPath.resolve(program, path, dir))
                    .withMessageContaining("Cannot run program \"" + program + "\"");
        }
    }

    @Test
    void shouldFollowASymbolicLinkToAnExecutable() throws Exception {
        Path target = file(dir.resolve("real"), "rwxr-xr-x");
        Files.createSymbolicLink(dir.resolve("link"), target);

        assertThat(ProgramPath.resolve("link", dir.toString(), dir)).isEqualTo(dir.resolve("link"));
    }

    private static Path file(Path path, String permissions) throws IOException {
        Files.writeString(path, "#!/bin/sh\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        return path;
    }
}
