package dev.switchback.lint;

/**
 * One lexical token of PostgreSQL SQL.
 *
 * @param kind  what sort of token
 * @param text  its text; keywords and unquoted identifiers are folded to lower case, as PostgreSQL folds them
 * @param line  the 1-based line it starts on
 * @param start the offset of its first character in the script
 * @param end   the offset just past its last character in the script, so {@code sql.substring(start, end)} is the
 *              token as written
 */
public record Token(Kind kind, String text, int line, int start, int end) {

    /** A token whose place in the script is not known (made up by a caller, not read by the lexer). */
    public Token(Kind kind, String text, int line) {
        this(kind, text, line, -1, -1);
    }

    /** The sorts of token the lexer tells apart. */
    public enum Kind {
        /** WORD: a keyword or an unquoted identifier. */
        WORD,
        /** QUOTED: a double-quoted identifier, case kept. */
        QUOTED,
        /** STRING: a string constant, including dollar-quoted bodies. */
        STRING,
        /** NUMBER: a numeric constant. */
        NUMBER,
        /** SYMBOL: punctuation and operators. */
        SYMBOL
    }

    public boolean is(String word) {
        return kind == Kind.WORD && text.equals(word);
    }

    public boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    public boolean isName() {
        return kind == Kind.WORD || kind == Kind.QUOTED;
    }
}
