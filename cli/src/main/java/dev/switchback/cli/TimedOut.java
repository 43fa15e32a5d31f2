package dev.switchback.cli;

/** {@code --timeout} passed before the release ended: exits {@link ExitCodes#TIMED_OUT}. */
public class TimedOut extends RuntimeException {
    public TimedOut(String message) {
        super(message);
    }
}
