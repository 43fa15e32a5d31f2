package dev.switchback.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser for the PostgreSQL DDL forms whose locking or compatibility differs, over the tokens
 * of {@link SqlLexer}. Statements outside those forms become {@link Ddl.Other}; a form it knows but cannot read
 * is a {@link SqlSyntaxException}, so nothing unsafe slips through as "other".
 */
public final class DdlParser {

    private static final Set<String> COLUMN_CONSTRAINT_WORDS = Set.of("default", "not", "null", "constraint",
            "references", "check", "unique", "primary", "collate", "generated", "using");

    private final List<Token> tokens;
    private int pos;

    private DdlParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    public static Ddl parse(SqlLexer.Statement statement) {
        if (statement.tokens().isEmpty()) {
            return new Ddl.Other("");
        }
        return new DdlParser(statement.tokens()).statement();
    }

    private Ddl statement() {
        Token first = next();
        if (first.is("alter") && accept("table")) {
            return alterTable();
        }
        if (first.is("create")) {
            return create();
        }
        if (first.is("drop")) {
            return drop();
        }
        if (first.is("truncate")) {
            accept("table");
            accept("only");
            return new Ddl.Truncate(names());
        }
        if (first.is("vacuum")) {
            boolean full = accept("full");
            if (!full && peekSymbol("(")) {
                full = slice(pos, tokens.size()).stream().anyMatch(t -> t.is("full"));
            }
            return new Ddl.Vacuum(full);
        }
        if (first.is("cluster")) {
            return new Ddl.Cluster();
        }
        if (first.is("begin") || first.is("start")) {
            return new Ddl.TransactionControl(true);
        }
        if (first.is("commit") || first.is("end") || first.is("rollback")) {
            return new Ddl.TransactionControl(false);
        }
        return new Ddl.Other(first.text());
    }

    private Ddl create() {
        boolean unique = accept("unique");
        if (accept("index")) {
            boolean concurrently = accept("concurrently");
            if (accept("if")) {
                expect("not");
                expect("exists");
            }
            String name = peek() != null && !peek().is("on") ? name() : null;
            expect("on");
            accept("only");
            return new Ddl.CreateIndex(name, name(), concurrently, unique);
        }
        if (unique) {
            throw error("expected INDEX after CREATE UNIQUE");
        }
        while (accept("global") || accept("local") || accept("temporary") || accept("temp") || accept("unlogged")) {
            // Modifiers of CREATE TABLE.
        }
        if (accept("table")) {
            if (accept("if")) {
                expect("not");
                expect("exists");
            }
            return new Ddl.CreateTable(name());
        }
        return new Ddl.Other("create");
    }

    private Ddl drop() {
        if (accept("index")) {
            boolean concurrently = accept("concurrently");
            ifExists();
            return new Ddl.DropIndex(names(), concurrently);
        }
        String type = accept("materialized") ? "materialized view" : next().text();
        if (type.equals("materialized view")) {
            expect("view");
        }
        ifExists();
        return new Ddl.DropObject(type, names());
    }

    private Ddl alterTable() {
        ifExists();
        accept("only");
        String table = name();
        acceptSymbol("*");
        List<Ddl.Action> actions = new ArrayList<>();
        for (List<Token> slice : splitTopLevel(slice(pos, tokens.size()))) {
            actions.add(new DdlParser(slice).action());
        }
        if (actions.isEmpty()) {
            throw error("ALTER TABLE " + table + " has no action");
        }
        return new Ddl.AlterTable(table, actions);
    }

    private Ddl.Action action() {
        Token first = next();
        if (first.is("add")) {
            if (peekAny("constraint", "check", "foreign", "unique", "primary", "exclude")) {
                return addConstraint();
            }
            accept("column");
            if (accept("if")) {
                expect("not");
                expect("exists");
            }
            return addColumn();
        }
        if (first.is("drop")) {
            if (accept("constraint")) {
                ifExists();
                return new Ddl.DropConstraint(name());
            }
            if (peekAny("not", "default", "expression", "identity")) {
                return new Ddl.OtherAction("drop " + next().text());
            }
            accept("column");
            ifExists();
            return new Ddl.DropColumn(name());
        }
        if (first.is("rename")) {
            if (accept("to")) {
                return new Ddl.RenameTable(name());
            }
            if (accept("constraint")) {
                return new Ddl.OtherAction("rename constraint");
            }
            accept("column");
            String from = name();
            expect("to");
            return new Ddl.RenameColumn(from, name());
        }
        if (first.is("alter")) {
            accept("column");
            String column = name();
            if (peekAny("set") && pos + 1 < tokens.size() && tokens.get(pos + 1).is("data")) {
                pos += 2;
                expect("type");
                return new Ddl.AlterColumnType(column, typeText());
            }
            if (accept("type")) {
                return new Ddl.AlterColumnType(column, typeText());
            }
            if (accept("set")) {
                if (accept("not")) {
                    expect("null");
                    return new Ddl.SetNotNull(column);
                }
                return new Ddl.OtherAction("alter column set " + (peek() == null ? "" : peek().text()));
            }
            return new Ddl.OtherAction("alter column " + (peek() == null ? "" : peek().text()));
        }
        if (first.is("validate")) {
            expect("constraint");
            return new Ddl.ValidateConstraint(name());
        }
        return new Ddl.OtherAction(first.text());
    }

    private Ddl.Action addColumn() {
        String column = name();
        String type = typeText();
        String defaultExpression = null;
        boolean notNull = false;
        while (peek() != null) {
            if (accept("default")) {
                defaultExpression = expressionText();
            } else if (accept("not")) {
                expect("null");
                notNull = true;
            } else if (accept("primary")) {
                expect("key");
                notNull = true;
            } else {
                next();
            }
        }
        return new Ddl.AddColumn(column, type, defaultExpression, notNull);
    }

    private Ddl.Action addConstraint() {
        String name = accept("constraint") ? name() : null;
        Token kindToken = next();
        String kind = switch (kindToken.text()) {
            case "check" -> "check";
            case "foreign" -> "foreign key";
            case "unique" -> "unique";
            case "primary" -> "primary key";
            case "exclude" -> "exclude";
            default -> throw error("unexpected constraint kind " + kindToken.text());
        };
        List<Token> rest = tokens.subList(pos, tokens.size());
        boolean usingIndex = false;
        boolean notValid = false;
        for (int i = 0; i + 1 < rest.size(); i++) {
            usingIndex |= rest.get(i).is("using") && rest.get(i + 1).is("index");
            notValid |= rest.get(i).is("not") && rest.get(i + 1).is("valid");
        }
        String check = null;
        if (kind.equals("check") && peekSymbol("(")) {
            check = text(parenthesised());
        }
        return new Ddl.AddConstraint(name, kind, notValid, usingIndex, check);
    }

    /** The type of a column: every token up to the first column-constraint word at depth 0. */
    private String typeText() {
        List<Token> type = new ArrayList<>();
        int depth = 0;
        while (peek() != null) {
            Token t = peek();
            if (depth == 0 && t.kind() == Token.Kind.WORD && COLUMN_CONSTRAINT_WORDS.contains(t.text())) {
                break;
            }
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            type.add(next());
        }
        if (type.isEmpty()) {
            throw error("missing type");
        }
        return text(type);
    }

    /** An expression up to the next column-constraint word at depth 0. */
    private String expressionText() {
        List<Token> expression = new ArrayList<>();
        int depth = 0;
        while (peek() != null) {
            Token t = peek();
            if (depth == 0 && t.kind() == Token.Kind.WORD && Set.of("not", "null", "constraint", "references", "check",
                    "unique", "primary", "collate", "generated").contains(t.text())) {
                break;
            }
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            expression.add(next());
        }
        return text(expression);
    }

    private List<Token> parenthesised() {
        int start = pos;
        int depth = 0;
        do {
            Token t = next();
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
        } while (depth > 0);
        return slice(start + 1, pos - 1);
    }

    private String name() {
        Token t = next();
        if (!t.isName()) {
            throw error("expected a name, found '" + t.text() + "'");
        }
        String name = t.text();
        while (peekSymbol(".")) {
            next();
            Token part = next();
            if (!part.isName()) {
                throw error("expected a name after '.'");
            }
            name = name + "." + part.text();
        }
        return name;
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        names.add(name());
        while (acceptSymbol(",")) {
            names.add(name());
        }
        return names;
    }

    private void ifExists() {
        if (accept("if")) {
            expect("exists");
        }
    }

    private static List<List<Token>> splitTopLevel(List<Token> tokens) {
        List<List<Token>> parts = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (Token t : tokens) {
            if (depth == 0 && t.isSymbol(",")) {
                parts.add(current);
                current = new ArrayList<>();
                continue;
            }
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            current.add(t);
        }
        if (!current.isEmpty()) {
            parts.add(current);
        }
        return parts;
    }

    private static String text(List<Token> tokens) {
        StringBuilder out = new StringBuilder();
        for (Token t : tokens) {
            if (!out.isEmpty() && !t.isSymbol("(") && !t.isSymbol(")") && !t.isSymbol(",")
                    && !out.toString().endsWith("(")) {
                out.append(' ');
            }
            out.append(t.kind() == Token.Kind.STRING ? "'" + t.text() + "'" : t.text());
        }
        return out.toString();
    }

    private List<Token> slice(int from, int to) {
        List<Token> slice = tokens.subList(from, to);
        pos = to;
        return slice;
    }

    private Token peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean peekAny(String... words) {
        Token t = peek();
        return t != null && Set.of(words).contains(t.text()) && t.kind() == Token.Kind.WORD;
    }

    private boolean peekSymbol(String symbol) {
        Token t = peek();
        return t != null && t.isSymbol(symbol);
    }

    private Token next() {
        if (pos >= tokens.size()) {
            throw error("unexpected end of statement");
        }
        return tokens.get(pos++);
    }

    private boolean accept(String word) {
        if (peek() != null && peek().is(word)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(String symbol) {
        if (peekSymbol(symbol)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean expect(String word) {
        if (!accept(word)) {
            throw error("expected " + word.toUpperCase() + (peek() == null ? " at the end" : ", found '" + peek().text() + "'"));
        }
        return true;
    }

    private SqlSyntaxException error(String message) {
        Token at = peek() != null ? peek() : tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
        return new SqlSyntaxException(at == null ? 0 : at.line(), message);
    }
}
