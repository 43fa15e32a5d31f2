package dev.switchback.lint;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The kinds of object CREATE, ALTER and DROP name, read from their (multi-word) keywords, as PostgreSQL's ObjectType. */
final class ObjectTypes {

    /** Keyword sequences, longest first, and the ObjectType each names. */
    private static final List<Map.Entry<String, String>> TYPES = List.of(
            Map.entry("materialized view", "MATVIEW"), Map.entry("foreign data wrapper", "FDW"),
            Map.entry("foreign table", "FOREIGN_TABLE"), Map.entry("event trigger", "EVENT_TRIGGER"),
            Map.entry("operator class", "OPCLASS"), Map.entry("operator family", "OPFAMILY"),
            Map.entry("text search configuration", "TSCONFIGURATION"),
            Map.entry("text search dictionary", "TSDICTIONARY"), Map.entry("text search parser", "TSPARSER"),
            Map.entry("text search template", "TSTEMPLATE"), Map.entry("access method", "ACCESS_METHOD"),
            Map.entry("constraint trigger", "TRIGGER"), Map.entry("user mapping", "USER_MAPPING"),
            Map.entry("default privileges", "DEFAULT_PRIVILEGES"), Map.entry("large object", "LARGEOBJECT"),
            Map.entry("table", "TABLE"), Map.entry("view", "VIEW"), Map.entry("index", "INDEX"),
            Map.entry("sequence", "SEQUENCE"), Map.entry("type", "TYPE"), Map.entry("domain", "DOMAIN"),
            Map.entry("function", "FUNCTION"), Map.entry("procedure", "PROCEDURE"), Map.entry("routine", "ROUTINE"),
            Map.entry("aggregate", "AGGREGATE"), Map.entry("schema", "SCHEMA"), Map.entry("trigger", "TRIGGER"),
            Map.entry("policy", "POLICY"), Map.entry("rule", "RULE"), Map.entry("extension", "EXTENSION"),
            Map.entry("publication", "PUBLICATION"), Map.entry("subscription", "SUBSCRIPTION"),
            Map.entry("collation", "COLLATION"), Map.entry("conversion", "CONVERSION"),
            Map.entry("statistics", "STATISTIC_EXT"), Map.entry("server", "FOREIGN_SERVER"),
            Map.entry("operator", "OPERATOR"), Map.entry("cast", "CAST"), Map.entry("language", "LANGUAGE"),
            Map.entry("transform", "TRANSFORM"), Map.entry("database", "DATABASE"), Map.entry("role", "ROLE"),
            Map.entry("user", "ROLE"), Map.entry("group", "ROLE"), Map.entry("tablespace", "TABLESPACE"),
            Map.entry("owned", "OWNED"));

    /** Object types whose names are relations (pg_class), reported as the relations a statement acts on. */
    static final Set<String> RELATIONS = Set.of("TABLE", "VIEW", "MATVIEW", "INDEX", "SEQUENCE", "FOREIGN_TABLE");

    /** Object types named {@code name ON table}. */
    static final Set<String> ON_TABLE = Set.of("TRIGGER", "RULE", "POLICY");

    private ObjectTypes() {
    }

    /** Reads the object type keywords at the cursor, or returns null (and reads nothing) when none match. */
    static String read(Cursor c) {
        for (Map.Entry<String, String> type : TYPES) {
            if (c.accept(type.getKey().split(" "))) {
                return type.getValue();
            }
        }
        return null;
    }

    /** The type as a lower-case phrase for messages. */
    static String label(String type) {
        return TYPES.stream().filter(e -> e.getValue().equals(type)).map(Map.Entry::getKey).findFirst()
                .orElse(type.toLowerCase(java.util.Locale.ROOT));
    }
}
