package dev.switchback.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchback.cli.api.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Migration files named the way Flyway names them, {@code V<version>__<description>.sql} (e.g.
 * {@code V2__add_note_author.sql}): the version and description come from the name, the statements from the file.
 */
public final class MigrationFiles {

    /** NAME: Flyway's versioned-migration file name. */
    private static final Pattern NAME = Pattern.compile("V(\\d{1,9}(?:[._]\\d{1,9}){0,3})__([A-Za-z0-9 _.,:()'-]*)\\.sql");

    /**
     * One migration read from a file.
     *
     * @param file        where it was read
     * @param version     its version, e.g. {@code 2} or {@code 2.1}
     * @param description its description, with underscores as spaces
     * @param sql         its statements
     * @param backfill    whether it is a backfill (an UPDATE or DELETE run in batches)
     */
    public record Migration(Path file, String version, String description, String sql, boolean backfill) {
    }

    private MigrationFiles() {
    }

    public static Migration read(Path file, boolean backfill) {
        Matcher name = NAME.matcher(file.getFileName().toString());
        if (!name.matches()) {
            throw new UsageError("a migration file is named V<version>__<description>.sql, e.g. V2__add_note_author.sql;"
                    + " not " + file.getFileName());
        }
        return new Migration(file, name.group(1).replace('_', '.'), name.group(2).replace('_', ' ').strip(),
                readSql(file), backfill);
    }

    /** The statements of a file, for the lint, which takes files of any name. */
    public static String readSql(Path file) {
        try {
            String sql = Files.readString(file);
            if (sql.isBlank()) {
                throw new UsageError("the migration file " + file + " is empty");
            }
            return sql;
        } catch (IOException e) {
            throw new UsageError("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Reads schema migrations and backfills, in the order given. */
    public static List<Migration> readAll(List<Path> schema, List<Path> backfills) {
        List<Migration> all = new ArrayList<>();
        schema.forEach(file -> all.add(read(file, false)));
        backfills.forEach(file -> all.add(read(file, true)));
        return all;
    }

    /** The migrations as the API's {@code migrations} field. */
    public static ArrayNode toJson(List<Migration> migrations) {
        ArrayNode array = Json.object().arrayNode();
        for (Migration migration : migrations) {
            ObjectNode node = array.addObject().put("version", migration.version())
                    .put("description", migration.description()).put("sql", migration.sql());
            if (migration.backfill()) {
                node.put("kind", "backfill");
            }
        }
        return array;
    }
}
