package dev.switchback.cli;

import dev.switchback.cli.api.ApiClient;
import dev.switchback.cli.api.ApiProblem;
import dev.switchback.cli.api.Json;
import dev.switchback.cli.command.FreezeCommand;
import dev.switchback.cli.command.HistoryCommand;
import dev.switchback.cli.command.LintCommand;
import dev.switchback.cli.command.PlanCommand;
import dev.switchback.cli.command.ReleaseActions;
import dev.switchback.cli.command.ReleaseCommand;
import dev.switchback.cli.command.StatusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * The {@code switchback} command: ship, follow, roll back and lint releases from a terminal or a CI job. Every failure
 * ends in one line on stderr (a problem's title and detail, never a stack trace) and an exit code from
 * {@link ExitCodes}.
 */
@Command(name = "switchback", mixinStandardHelpOptions = true, version = "switchback 0.1.0",
        description = "Ship and follow Switchback releases. Exit codes: 0 live/promoted, 1 error, 2 usage, 3 rolled back,"
                + " 4 failed, 5 cancelled, 6 refused (lint or policy), 7 timed out, 8 denied (401/403).",
        subcommands = {ReleaseCommand.class, StatusCommand.class, HistoryCommand.class, LintCommand.class,
                PlanCommand.class, FreezeCommand.class})
public class Switchback implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command line; answers the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine commandLine = commandLine(out, err);
        return commandLine.execute(args);
    }

    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new Switchback());
        for (Method action : CommandLine.getCommandMethods(ReleaseActions.class, null)) {
            commandLine.addSubcommand(new CommandLine(action));
        }
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setExitCodeExceptionMapper(failure -> exitCode(unwrap(failure)));
        commandLine.setExecutionExceptionHandler((thrown, failed, parsed) -> {
            Throwable failure = unwrap(thrown);
            PrintStream problems = err;
            if (failure instanceof ApiProblem problem && problem.body() != null && json(parsed)) {
                out.println(Json.write(problem.body()));
            }
            problems.println("switchback: " + message(failure));
            if (failure instanceof UsageError) {
                problems.println("see: switchback " + failed.getCommandName() + " --help");
            }
            return exitCode(failure);
        });
        return commandLine;
    }

    /** The failure itself, out of the wrappers reflection and picocli put around a command method's exception. */
    static Throwable unwrap(Throwable thrown) {
        Throwable failure = thrown;
        while ((failure instanceof java.lang.reflect.InvocationTargetException || failure instanceof CommandLine.ExecutionException)
                && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }

    /** The exit code of a failure. */
    static int exitCode(Throwable failure) {
        if (failure instanceof ApiProblem problem) {
            return ExitCodes.ofStatus(problem.status());
        }
        if (failure instanceof TimedOut) {
            return ExitCodes.TIMED_OUT;
        }
        if (failure instanceof UsageError || failure instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.ERROR;
    }

    /** What is printed of a failure: a problem's title and detail, else the failure's own message. */
    static String message(Throwable failure) {
        if (failure instanceof ApiProblem problem) {
            return problem.describe();
        }
        if (failure instanceof ApiClient.Unreachable || failure instanceof UsageError || failure instanceof TimedOut) {
            return failure.getMessage();
        }
        if (failure instanceof InterruptedException) {
            return "interrupted";
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    private static boolean json(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult result = parsed; result != null; result = result.subcommand()) {
            if ("json".equals(String.valueOf(result.matchedOptionValue("--output", "text")))) {
                return true;
            }
        }
        return false;
    }
}
