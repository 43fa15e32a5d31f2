package dev.switchback.lint;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lint agrees with PostgreSQL's own grammar: every statement of the corpus, parsed by libpg_query, is the kind
 * of statement the lint says it is (the parse tree's node, with DropStmt's removeType and RenameStmt's renameType)
 * and acts on the relations the lint says it does; what the lint cannot read, PostgreSQL cannot either.
 */
@ExtendWith(LibpgQuery.class)
class LibpgQueryAgreementTest {

    /**
     * Keys of the parse tree under which a relation is read, not acted on (queries, conditions, expressions), or,
     * for {@code args}, a function's arguments: their relations are not the statement's.
     */
    private static final Set<String> NOT_ACTED_ON = Set.of("query", "selectStmt", "fromClause", "whereClause",
            "usingClause", "withClause", "targetList", "returningList", "sourceRelation", "valuesLists",
            "lockingClause", "raw_expr", "cooked_expr", "qual", "with_check", "whenClause", "mergeWhenClauses",
            "onConflictClause", "args", "actions", "constrrel", "subquery");

    /** One migration the lint's tests use: where it comes from, and its SQL. */
    private record Source(String where, String sql) {
    }

    @Test
    void shouldAgreeWithPostgresOnTheKindAndRelationsOfEveryStatementTheTestsUse() {
        List<Source> sources = new ArrayList<>();
        Corpus.entries().forEach(e -> sources.add(new Source("corpus line " + e.line(), e.sql())));
        sources.addAll(annotated(MigrationLinterTest.class));
        sources.addAll(annotated(DefaultDenyTest.class));
        List<String> disagreements = new ArrayList<>();
        int statements = 0;
        for (Source source : sources) {
            List<SqlLexer.Statement> parsed;
            try {
                parsed = SqlLexer.statements(source.sql());
            } catch (SqlSyntaxException e) {
                statements++;
                if (LibpgQuery.parse(source.sql()).error() == null) {
                    disagreements.add(source.where() + ": the lint cannot read " + source.sql() + ", PostgreSQL can");
                }
                continue;
            }
            for (SqlLexer.Statement statement : parsed) {
                statements++;
                String disagreement = compare(statement);
                if (disagreement != null) {
                    disagreements.add(source.where() + ": " + statement.text().replaceAll("\\s+", " ")
                            + "\n    " + disagreement);
                }
            }
        }
        System.out.println("[libpg_query] compared " + statements + " statements of " + sources.size()
                + " migrations (" + Corpus.entries().size() + " from the corpus)");
        assertThat(disagreements).as("statements where the lint and PostgreSQL's parser disagree").isEmpty();
        assertThat(statements).isGreaterThan(250);
    }

    /** The SQL of a test class's parameterized sources: the last column of each @CsvSource line, each @ValueSource string. */
    private static List<Source> annotated(Class<?> test) {
        List<Source> sources = new ArrayList<>();
        for (java.lang.reflect.Method method : test.getDeclaredMethods()) {
            String where = test.getSimpleName() + "." + method.getName();
            org.junit.jupiter.params.provider.CsvSource csv =
                    method.getAnnotation(org.junit.jupiter.params.provider.CsvSource.class);
            if (csv != null) {
                for (String line : csv.textBlock().split("\n")) {
                    if (!line.isBlank()) {
                        String sql = line.contains("|") ? line.substring(line.indexOf('|') + 1) : line;
                        sources.add(new Source(where, sql.strip()));
                    }
                }
            }
            org.junit.jupiter.params.provider.ValueSource values =
                    method.getAnnotation(org.junit.jupiter.params.provider.ValueSource.class);
            if (values != null) {
                for (String sql : values.strings()) {
                    sources.add(new Source(where, sql));
                }
            }
        }
        return sources;
    }

    @Test
    void shouldSeeTheDoBlockOfTheIssueAsPostgresDoes() {
        LibpgQuery.Parsed parsed = LibpgQuery.parse("DO $$ BEGIN EXECUTE 'ALTER TABLE notes DROP COLUMN body'; END $$");

        assertThat(parsed.error()).isNull();
        assertThat(kind(parsed.tree().path("stmts").get(0).path("stmt"))).isEqualTo("DoStmt");
        assertThat(StatementClassifier.classify(SqlLexer.statements("DO $$ BEGIN EXECUTE 'x'; END $$").get(0).tokens(),
                new RunState()).kind()).isEqualTo("DoStmt");
    }

    /** The disagreement on one statement, or null. */
    private static String compare(SqlLexer.Statement statement) {
        LibpgQuery.Parsed pg = LibpgQuery.parse(statement.text());
        Classification lint;
        try {
            lint = StatementClassifier.classify(statement.tokens(), new RunState());
        } catch (SqlSyntaxException e) {
            return pg.error() != null ? null : "the lint cannot read it (" + e.getMessage() + "), PostgreSQL can";
        }
        if (pg.error() != null) {
            return "PostgreSQL cannot read it (" + pg.error() + "), the lint classified it as " + lint.kind();
        }
        JsonNode stmts = pg.tree().path("stmts");
        if (stmts.size() != 1) {
            return "PostgreSQL reads " + stmts.size() + " statements in it";
        }
        JsonNode stmt = stmts.get(0).path("stmt");
        String kind = kind(stmt);
        if (!lint.kind().equals("unknown") && !lint.kind().equals(kind)) {
            return "kind: PostgreSQL " + kind + ", the lint " + lint.kind();
        }
        Set<String> relations = new TreeSet<>();
        relations(stmt, relations);
        dropped(stmt, relations);
        if (!lint.kind().equals("unknown") && !relations.equals(new TreeSet<>(lint.relations()))) {
            return "relations: PostgreSQL " + relations + ", the lint " + new TreeSet<>(lint.relations());
        }
        return null;
    }

    /** The node's name, with the object type for DROP and RENAME, e.g. {@code DropStmt:OBJECT_VIEW}. */
    private static String kind(JsonNode stmt) {
        Map.Entry<String, JsonNode> node = stmt.fields().next();
        return switch (node.getKey()) {
            case "DropStmt" -> "DropStmt:" + node.getValue().path("removeType").asText();
            case "RenameStmt" -> "RenameStmt:" + node.getValue().path("renameType").asText();
            default -> node.getKey();
        };
    }

    /** Every RangeVar the statement acts on, as {@code schema.name} or {@code name}. */
    private static void relations(JsonNode node, Set<String> into) {
        if (node.isArray()) {
            node.forEach(child -> relations(child, into));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        JsonNode range = node.get("RangeVar");
        if (range != null) {
            into.add(range.has("schemaname") ? range.path("schemaname").asText() + "." + range.path("relname").asText()
                    : range.path("relname").asText());
        }
        if (node.has("relname") && !node.has("RangeVar")) {
            // A RangeVar not wrapped in a node (e.g. "relation": {...}).
            into.add(node.has("schemaname") ? node.path("schemaname").asText() + "." + node.path("relname").asText()
                    : node.path("relname").asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!NOT_ACTED_ON.contains(field.getKey())) {
                relations(field.getValue(), into);
            }
        }
    }

    /** DropStmt names its objects as lists of strings: relations by name, triggers, rules and policies by their table. */
    private static void dropped(JsonNode stmt, Set<String> into) {
        JsonNode drop = stmt.get("DropStmt");
        if (drop == null) {
            return;
        }
        String type = drop.path("removeType").asText();
        boolean relation = Set.of("OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_INDEX", "OBJECT_SEQUENCE",
                "OBJECT_FOREIGN_TABLE").contains(type);
        boolean onTable = Set.of("OBJECT_TRIGGER", "OBJECT_RULE", "OBJECT_POLICY").contains(type);
        for (JsonNode object : drop.path("objects")) {
            List<String> parts = new ArrayList<>();
            object.path("List").path("items").forEach(item -> parts.add(item.path("String").path("sval").asText()));
            if (relation) {
                into.add(String.join(".", parts));
            } else if (onTable && parts.size() > 1) {
                into.add(String.join(".", parts.subList(0, parts.size() - 1)));
            }
        }
    }
}
