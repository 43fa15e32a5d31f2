package dev.switchback.deployer.instance.runtime.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a program the way execvp(3) does: a name with a slash is a path, any other is looked up in {@code PATH}'s
 * entries in order (an empty entry is the working directory; no {@code PATH} means {@code /bin:/usr/bin}). A command
 * started through nice(1) is resolved first, so a program that is not there fails its start at once, as it does
 * without nice, instead of as a process that exits with 127.
 */
final class ProgramPath {

    /** DEFAULT_PATH: what execvp searches when PATH is not set. */
    static final String DEFAULT_PATH = "/bin:/usr/bin";

    private ProgramPath() {
    }

    /** The program's executable, absolute; an IOException naming it when there is none. */
    static Path resolve(String program, String path, Path workingDir) throws IOException {
        if (program.isEmpty()) {
            throw new IOException("Cannot run program \"\": the command's program is empty");
        }
        boolean isPath = program.contains("/");
        Optional<Path> found = isPath
                ? executable(workingDir.resolve(program))
                : search(program, path == null ? DEFAULT_PATH : path, workingDir);
        return found.orElseThrow(() -> new IOException("Cannot run program \"" + program + "\": "
                + (isPath ? "no executable file there" : "no executable file of that name on PATH")));
    }

    private static Optional<Path> search(String program, String path, Path workingDir) {
        for (String entry : path.split(":", -1)) {
            Optional<Path> found = executable(workingDir.resolve(entry).resolve(program));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> executable(Path candidate) {
        try {
            Path absolute = candidate.toAbsolutePath().normalize();
            return Files.isRegularFile(absolute) && Files.isExecutable(absolute) ? Optional.of(absolute) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
