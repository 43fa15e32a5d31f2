package dev.switchback.lint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * PostgreSQL's own parser, Debian's libpg_query (package {@code libpg-query-dev}), called through JNA: the JSON parse
 * tree of a statement, or PostgreSQL's syntax error. As a test extension it skips its tests with a message naming
 * the package where the library is missing, and fails them under CI ({@code CI=true}), where {@code .ci/run}
 * installs it.
 */
final class LibpgQuery implements ExecutionCondition {

    /** PACKAGE: the Debian package that provides the library. */
    static final String PACKAGE = "libpg-query-dev";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code PgQueryParseResult}, returned by value (pg_query.h). */
    @Structure.FieldOrder({"parse_tree", "stderr_buffer", "error"})
    public static class ParseResult extends Structure {
        public Pointer parse_tree;
        public Pointer stderr_buffer;
        public Pointer error;

        /** The by-value form the functions return and take. */
        public static class ByValue extends ParseResult implements Structure.ByValue {
        }
    }

    /** {@code PgQueryError} (pg_query.h). */
    @Structure.FieldOrder({"message", "funcname", "filename", "lineno", "cursorpos", "context"})
    public static class Error extends Structure {
        public Pointer message;
        public Pointer funcname;
        public Pointer filename;
        public int lineno;
        public int cursorpos;
        public Pointer context;

        public Error(Pointer p) {
            super(p);
            read();
        }
    }

    /** The two functions the test needs. */
    public interface Lib extends Library {
        ParseResult.ByValue pg_query_parse(String input);

        void pg_query_free_parse_result(ParseResult.ByValue result);
    }

    /** The parse tree ({@code {"version":..., "stmts":[...]}}), or PostgreSQL's error message. */
    record Parsed(JsonNode tree, String error) {
    }

    private static Lib lib;

    static synchronized Parsed parse(String sql) {
        if (lib == null) {
            lib = Native.load(library().orElseThrow(() -> new IllegalStateException(missing())).toString(), Lib.class);
        }
        ParseResult.ByValue result = lib.pg_query_parse(sql);
        try {
            if (result.error != null) {
                return new Parsed(null, new Error(result.error).message.getString(0, "UTF-8"));
            }
            return new Parsed(JSON.readTree(result.parse_tree.getString(0, "UTF-8")), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lib.pg_query_free_parse_result(result);
        }
    }

    /** The shared library, where Debian puts it for any architecture. */
    static Optional<Path> library() {
        try (Stream<Path> dirs = Files.list(Path.of("/usr/lib"))) {
            return Stream.concat(Stream.of(Path.of("/usr/lib")), dirs.filter(Files::isDirectory).toList().stream())
                    .map(dir -> dir.resolve("libpg_query.so"))
                    .filter(Files::exists)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String missing() {
        return "libpg_query is not installed (no /usr/lib/*/libpg_query.so): this test parses with PostgreSQL's own"
                + " parser; install the Debian package " + PACKAGE + " (apt-get install " + PACKAGE + ")";
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (library().isPresent()) {
            return ConditionEvaluationResult.enabled("libpg_query is installed");
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(missing() + "; under CI=true the agreement test must run");
        }
        System.err.println("[libpg_query] skipping the agreement test: " + missing());
        return ConditionEvaluationResult.disabled(missing());
    }
}
