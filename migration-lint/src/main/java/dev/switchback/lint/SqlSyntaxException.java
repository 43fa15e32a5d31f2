package dev.switchback.lint;

/** SQL the lexer or parser cannot read; the lint refuses what it cannot read. */
public class SqlSyntaxException extends RuntimeException {

    private final int line;

    public SqlSyntaxException(int line, String message) {
        super(message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
