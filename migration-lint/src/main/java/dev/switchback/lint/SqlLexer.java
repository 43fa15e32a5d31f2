package dev.switchback.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits PostgreSQL SQL into statements of tokens, the way the server's scanner does: comments (nested block
 * comments too) are skipped, string constants ({@code '..'}, {@code E'..'}, {@code $tag$..$tag$}) and quoted
 * identifiers are single tokens, so a semicolon inside them never ends a statement.
 */
public final class SqlLexer {

    private final String sql;
    private int pos;
    private int line = 1;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    /** The statements of a script, each with its tokens and the line it starts on. */
    public static List<Statement> statements(String sql) {
        return new SqlLexer(sql).split();
    }

    /** One statement of a script. */
    public record Statement(int index, int line, String text, List<Token> tokens) {
    }

    private List<Statement> split() {
        List<Statement> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int start = -1;
        while (true) {
            skipSpaceAndComments();
            if (pos >= sql.length()) {
                break;
            }
            int tokenStart = pos;
            Token read = next();
            Token token = new Token(read.kind(), read.text(), read.line(), tokenStart, pos);
            if (token.isSymbol(";")) {
                if (!current.isEmpty()) {
                    statements.add(new Statement(statements.size() + 1, current.get(0).line(),
                            sql.substring(start, tokenStart).trim(), List.copyOf(current)));
                    current.clear();
                }
                continue;
            }
            if (current.isEmpty()) {
                start = tokenStart;
            }
            current.add(token);
        }
        if (!current.isEmpty()) {
            statements.add(new Statement(statements.size() + 1, current.get(0).line(), sql.substring(start).trim(),
                    List.copyOf(current)));
        }
        return statements;
    }

    private void skipSpaceAndComments() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '-' && peek(1) == '-') {
                while (pos < sql.length() && sql.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && peek(1) == '*') {
                int depth = 0;
                do {
                    if (sql.startsWith("/*", pos)) {
                        depth++;
                        pos += 2;
                    } else if (sql.startsWith("*/", pos)) {
                        depth--;
                        pos += 2;
                    } else {
                        advance();
                    }
                } while (depth > 0 && pos < sql.length());
                if (depth > 0) {
                    throw new SqlSyntaxException(line, "unterminated comment");
                }
            } else {
                return;
            }
        }
    }

    private Token next() {
        int startLine = line;
        char c = sql.charAt(pos);
        if ((c == 'e' || c == 'E') && peek(1) == '\'') {
            pos++;
            return new Token(Token.Kind.STRING, quoted('\'', true), startLine);
        }
        if (c == '\'') {
            return new Token(Token.Kind.STRING, quoted('\'', false), startLine);
        }
        if (c == '"') {
            return new Token(Token.Kind.QUOTED, quoted('"', false), startLine);
        }
        if (c == '$') {
            int end = sql.indexOf('$', pos + 1);
            String tag = end < 0 ? null : sql.substring(pos, end + 1);
            if (tag != null && tag.substring(1, tag.length() - 1).chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')
                    && (tag.length() == 2 || !Character.isDigit(tag.charAt(1)))) {
                int close = sql.indexOf(tag, end + 1);
                if (close < 0) {
                    throw new SqlSyntaxException(startLine, "unterminated dollar-quoted string " + tag);
                }
                String body = sql.substring(end + 1, close);
                countLines(pos, close + tag.length());
                pos = close + tag.length();
                return new Token(Token.Kind.STRING, body, startLine);
            }
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '_'
                    || sql.charAt(pos) == '$')) {
                pos++;
            }
            return new Token(Token.Kind.WORD, sql.substring(start, pos).toLowerCase(Locale.ROOT), startLine);
        }
        if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
            int start = pos;
            while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                pos++;
            }
            return new Token(Token.Kind.NUMBER, sql.substring(start, pos), startLine);
        }
        if (sql.startsWith("::", pos)) {
            pos += 2;
            return new Token(Token.Kind.SYMBOL, "::", startLine);
        }
        pos++;
        return new Token(Token.Kind.SYMBOL, String.valueOf(c), startLine);
    }

    private String quoted(char quote, boolean backslashEscapes) {
        int startLine = line;
        StringBuilder text = new StringBuilder();
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (backslashEscapes && c == '\\' && pos + 1 < sql.length()) {
                text.append(sql.charAt(pos + 1));
                pos += 2;
                continue;
            }
            if (c == quote) {
                if (peek(1) == quote) {
                    text.append(quote);
                    pos += 2;
                    continue;
                }
                pos++;
                return text.toString();
            }
            advance();
            text.append(c);
        }
        throw new SqlSyntaxException(startLine, "unterminated " + (quote == '"' ? "quoted identifier" : "string"));
    }

    private void advance() {
        if (sql.charAt(pos) == '\n') {
            line++;
        }
        pos++;
    }

    private void countLines(int from, int to) {
        for (int i = from; i < to; i++) {
            if (sql.charAt(i) == '\n') {
                line++;
            }
        }
    }

    private char peek(int ahead) {
        return pos + ahead < sql.length() ? sql.charAt(pos + ahead) : '\0';
    }
}
