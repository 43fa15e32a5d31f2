package dev.switchback.cli;

/** The command line asks for something that cannot be done as written: exits {@link ExitCodes#USAGE}. */
public class UsageError extends RuntimeException {
    public UsageError(String message) {
        super(message);
    }
}
