package dev.switchback.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchback.cli.Connection;
import dev.switchback.cli.ExitCodes;
import dev.switchback.cli.MigrationFiles;
import dev.switchback.cli.Output;
import dev.switchback.cli.UsageError;
import dev.switchback.cli.api.Json;
import dev.switchback.lint.ChangeKind;
import dev.switchback.lint.LintReport;
import dev.switchback.lint.LintViolation;
import dev.switchback.lint.MigrationLinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code switchback lint}: the same rules release-api applies, run here on files, so a pull request is checked before
 * any release exists and without a token. Files are linted together, in the order given, as one release's migrations.
 */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Lint migration files with release-api's rules, locally; exit code 6 when refused.")
public class LintCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "SQL files; named V<version>__<description>.sql"
            + " they lint as those versions")
    List<Path> files = new ArrayList<>();

    @Option(names = "--change-kind", paramLabel = "KIND", defaultValue = "expand",
            description = "expand (default) or contract")
    String changeKind;

    @Override
    public Integer call() {
        if (!changeKind.equals("expand") && !changeKind.equals("contract")) {
            throw new UsageError("--change-kind is expand or contract, not " + changeKind);
        }
        Map<String, Path> byVersion = new LinkedHashMap<>();
        List<MigrationLinter.Script> scripts = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            String version;
            try {
                version = MigrationFiles.read(file, false).version();
            } catch (UsageError unnamed) {
                version = String.valueOf(i + 1);
            }
            byVersion.put(version, file);
            scripts.add(new MigrationLinter.Script(version, MigrationFiles.readSql(file)));
        }
        LintReport report = MigrationLinter.lint(scripts, ChangeKind.of(changeKind));
        Output out = connection.out();
        out.document(toJson(report, byVersion));
        for (LintViolation violation : report.violations()) {
            out.text(byVersion.getOrDefault(violation.migration(), Path.of(violation.migration())) + ":" + violation.line()
                    + ": " + violation.rule() + ": " + violation.message());
            out.text("    " + violation.statement().strip().replaceAll("\\s+", " "));
            if (violation.safeAlternative() != null) {
                out.text("    instead: " + violation.safeAlternative());
            }
        }
        out.text(report.verdict() + ": " + report.statements() + " statement(s) in " + files.size() + " file(s), "
                + report.violations().size() + " violation(s), linted as " + report.changeKind());
        return report.allowed() ? ExitCodes.OK : ExitCodes.REFUSED;
    }

    private static JsonNode toJson(LintReport report, Map<String, Path> byVersion) {
        ObjectNode node = Json.object().put("verdict", report.verdict()).put("changeKind", report.changeKind())
                .put("classification", report.classification()).put("statements", report.statements());
        ArrayNode violations = node.putArray("violations");
        for (LintViolation violation : report.violations()) {
            Path file = byVersion.get(violation.migration());
            violations.addObject().put("rule", violation.rule()).put("file", file == null ? null : file.toString())
                    .put("migration", violation.migration()).put("line", violation.line())
                    .put("statement", violation.statement()).put("message", violation.message())
                    .put("safeAlternative", violation.safeAlternative()).put("destructive", violation.destructive());
        }
        return node;
    }
}
