package dev.switchback.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A position in a statement's tokens, with the small steps the classifiers read statements by. */
final class Cursor {

    private final List<Token> tokens;
    private int pos;

    Cursor(List<Token> tokens) {
        this.tokens = tokens;
    }

    List<Token> tokens() {
        return tokens;
    }

    int pos() {
        return pos;
    }

    void seek(int pos) {
        this.pos = pos;
    }

    boolean atEnd() {
        return pos >= tokens.size();
    }

    Token peek() {
        return peek(0);
    }

    Token peek(int ahead) {
        return pos + ahead < tokens.size() ? tokens.get(pos + ahead) : null;
    }

    /** Whether the next tokens are these words. */
    boolean at(String... words) {
        for (int i = 0; i < words.length; i++) {
            Token t = peek(i);
            if (t == null || !t.is(words[i])) {
                return false;
            }
        }
        return true;
    }

    boolean accept(String... words) {
        if (at(words)) {
            pos += words.length;
            return true;
        }
        return false;
    }

    boolean acceptSymbol(String symbol) {
        if (peek() != null && peek().isSymbol(symbol)) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(String... words) {
        if (!accept(words)) {
            throw error("expected " + String.join(" ", words).toUpperCase(Locale.ROOT)
                    + (peek() == null ? " at the end" : ", found '" + peek().text() + "'"));
        }
    }

    Token next() {
        if (atEnd()) {
            throw error("unexpected end of statement");
        }
        return tokens.get(pos++);
    }

    /** The next word, lower case, or "" at the end or before a non-word. */
    String word() {
        Token t = peek();
        return t != null && t.kind() == Token.Kind.WORD ? t.text() : "";
    }

    void ifExists() {
        accept("if", "exists");
    }

    /** Reads IF NOT EXISTS: then the object may exist already, and what follows may act on a live one. */
    boolean ifNotExists() {
        return accept("if", "not", "exists");
    }

    /** A possibly qualified name ({@code schema.table}), parts as PostgreSQL folds them. */
    String name() {
        Token t = next();
        if (!t.isName()) {
            throw error("expected a name, found '" + t.text() + "'");
        }
        StringBuilder name = new StringBuilder(t.text());
        while (peek() != null && peek().isSymbol(".") && peek(1) != null && peek(1).isName()) {
            pos++;
            name.append('.').append(next().text());
        }
        return name.toString();
    }

    /** Names separated by commas. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        do {
            names.add(name());
            skipParenthesised();
        } while (acceptSymbol(","));
        return names;
    }

    /** Skips a parenthesised group if one starts here (argument lists of routines, column lists). */
    void skipParenthesised() {
        if (peek() == null || !peek().isSymbol("(")) {
            return;
        }
        int depth = 0;
        do {
            Token t = next();
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
        } while (depth > 0);
    }

    /** The rest of the statement. */
    List<Token> rest() {
        return tokens.subList(Math.min(pos, tokens.size()), tokens.size());
    }

    /** Whether any top-level token from here is this word. */
    boolean restHas(String word) {
        return depthZero(rest()).stream().anyMatch(t -> t.is(word));
    }

    /** Whether the words appear in this order, adjacent, anywhere from here (at any depth). */
    boolean restHasSequence(String... words) {
        List<Token> rest = rest();
        for (int i = 0; i + words.length <= rest.size(); i++) {
            boolean match = true;
            for (int j = 0; j < words.length && match; j++) {
                match = rest.get(i + j).is(words[j]);
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    /** The tokens at parenthesis depth 0, the parentheses themselves left out. */
    static List<Token> depthZero(List<Token> tokens) {
        List<Token> out = new ArrayList<>();
        int depth = 0;
        for (Token t : tokens) {
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0) {
                out.add(t);
            }
        }
        return out;
    }

    /** Splits tokens at commas of depth 0. */
    static List<List<Token>> splitTopLevel(List<Token> tokens) {
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

    /** The tokens inside the parenthesised group that starts here, consuming it. */
    List<Token> parenthesised() {
        if (peek() == null || !peek().isSymbol("(")) {
            throw error("expected '('");
        }
        int start = pos;
        skipParenthesised();
        return tokens.subList(start + 1, pos - 1);
    }

    SqlSyntaxException error(String message) {
        Token at = peek() != null ? peek() : tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
        return new SqlSyntaxException(at == null ? 0 : at.line(), message);
    }

    /** Tokens as text, for messages. */
    static String text(List<Token> tokens) {
        StringBuilder out = new StringBuilder();
        for (Token t : tokens) {
            if (!out.isEmpty() && !t.isSymbol("(") && !t.isSymbol(")") && !t.isSymbol(",") && !t.isSymbol(".")
                    && !out.toString().endsWith("(") && !out.toString().endsWith(".")) {
                out.append(' ');
            }
            out.append(t.kind() == Token.Kind.STRING ? "'" + t.text() + "'" : t.text());
        }
        return out.toString();
    }
}
