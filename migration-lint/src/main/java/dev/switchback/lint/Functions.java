package dev.switchback.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Function calls in a statement, and what the lint knows of PostgreSQL's built-ins: which are volatile (a default
 * computed per row), which are harmless when a migration runs them, and which act outside the schema (on files,
 * other sessions, settings). A user-defined function is none of these: calling it may run any DDL.
 */
final class Functions {

    /** Built-ins whose value changes per call (provolatile = 'v'): as an ADD COLUMN default they rewrite the table. */
    static final Set<String> VOLATILE = Set.of("random", "random_normal", "gen_random_uuid", "uuid_generate_v1",
            "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval", "currval", "lastval",
            "txid_current", "pg_current_xact_id", "gen_random_bytes");

    /** Built-ins that change nothing but their result (immutable or stable), safe to evaluate in a migration. */
    static final Set<String> HARMLESS = Set.of("now", "statement_timestamp", "transaction_timestamp", "lower", "upper",
            "coalesce", "nullif", "greatest", "least", "length", "char_length", "octet_length", "concat", "concat_ws",
            "substring", "substr", "trim", "btrim", "ltrim", "rtrim", "replace", "lpad", "rpad", "left", "right", "md5",
            "abs", "round", "floor", "ceil", "ceiling", "trunc", "mod", "power", "sqrt", "to_char", "to_date",
            "to_timestamp", "to_number", "date_trunc", "date_part", "extract", "make_date", "make_interval",
            "make_timestamp", "make_timestamptz", "age", "count", "sum", "min", "max", "avg", "array_agg", "string_agg",
            "bool_and", "bool_or", "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array",
            "jsonb_set", "to_json", "to_jsonb", "json_agg", "jsonb_agg", "row_to_json", "array_length", "cardinality",
            "unnest", "generate_series", "format", "split_part", "regexp_replace", "regexp_match", "strpos", "position",
            "encode", "decode", "current_setting", "version", "pg_typeof", "timezone", "uuid_nil", "array_to_string",
            "string_to_array", "initcap", "reverse", "repeat", "overlay", "translate", "sha256", "digest", "num_nonnulls",
            "num_nulls", "jsonb_strip_nulls", "to_tsvector", "to_tsquery", "setweight", "chr", "ascii", "sign", "exp",
            "ln", "log", "pi", "width_bucket", "date_bin", "justify_days", "justify_hours", "justify_interval", "isfinite",
            "current_database", "current_schema", "current_schemas", "pg_backend_pid", "has_table_privilege",
            "to_regclass", "pg_relation_size", "pg_total_relation_size", "quote_ident", "quote_literal", "row_number",
            "rank", "lag", "lead", "first_value", "last_value", "exists");

    /** Built-ins that act outside the schema, with the rule that refuses them wherever they are called. */
    static final Map<String, Rule> OUTSIDE = Map.ofEntries(
            Map.entry("pg_terminate_backend", Rule.OTHER_SESSIONS), Map.entry("pg_cancel_backend", Rule.OTHER_SESSIONS),
            Map.entry("pg_advisory_lock", Rule.OTHER_SESSIONS), Map.entry("pg_advisory_xact_lock", Rule.OTHER_SESSIONS),
            Map.entry("pg_advisory_lock_shared", Rule.OTHER_SESSIONS), Map.entry("pg_try_advisory_lock", Rule.OTHER_SESSIONS),
            Map.entry("pg_try_advisory_xact_lock", Rule.OTHER_SESSIONS), Map.entry("pg_advisory_unlock", Rule.OTHER_SESSIONS),
            Map.entry("pg_advisory_unlock_all", Rule.OTHER_SESSIONS), Map.entry("pg_notify", Rule.OTHER_SESSIONS),
            Map.entry("pg_sleep", Rule.OTHER_SESSIONS), Map.entry("pg_sleep_for", Rule.OTHER_SESSIONS),
            Map.entry("pg_read_file", Rule.SERVER_ACCESS), Map.entry("pg_read_binary_file", Rule.SERVER_ACCESS),
            Map.entry("pg_ls_dir", Rule.SERVER_ACCESS), Map.entry("pg_stat_file", Rule.SERVER_ACCESS),
            Map.entry("pg_ls_logdir", Rule.SERVER_ACCESS), Map.entry("pg_ls_waldir", Rule.SERVER_ACCESS),
            Map.entry("pg_ls_tmpdir", Rule.SERVER_ACCESS), Map.entry("pg_file_write", Rule.SERVER_ACCESS),
            Map.entry("pg_file_unlink", Rule.SERVER_ACCESS), Map.entry("pg_file_rename", Rule.SERVER_ACCESS),
            Map.entry("lo_import", Rule.SERVER_ACCESS), Map.entry("lo_export", Rule.SERVER_ACCESS),
            Map.entry("dblink", Rule.SERVER_ACCESS), Map.entry("dblink_exec", Rule.SERVER_ACCESS),
            Map.entry("dblink_connect", Rule.SERVER_ACCESS), Map.entry("dblink_connect_u", Rule.SERVER_ACCESS),
            Map.entry("dblink_open", Rule.SERVER_ACCESS), Map.entry("dblink_send_query", Rule.SERVER_ACCESS),
            Map.entry("pg_reload_conf", Rule.SERVER_CONFIG), Map.entry("pg_rotate_logfile", Rule.SERVER_CONFIG),
            Map.entry("pg_switch_wal", Rule.SERVER_CONFIG), Map.entry("pg_create_restore_point", Rule.SERVER_CONFIG),
            Map.entry("pg_promote", Rule.SERVER_CONFIG),
            Map.entry("pg_create_logical_replication_slot", Rule.SERVER_CONFIG),
            Map.entry("pg_create_physical_replication_slot", Rule.SERVER_CONFIG),
            Map.entry("pg_drop_replication_slot", Rule.SERVER_CONFIG),
            Map.entry("set_config", Rule.DISABLES_PROTECTION),
            Map.entry("setval", Rule.REPLACE_OBJECT),
            Map.entry("query_to_xml", Rule.DYNAMIC_SQL), Map.entry("query_to_xml_and_xmlschema", Rule.DYNAMIC_SQL),
            Map.entry("cursor_to_xml", Rule.DYNAMIC_SQL));

    /** Words that take a parenthesis without being a call: keywords, type names with a modifier; after AS, an alias. */
    private static final Set<String> NOT_CALLS = Set.of("in", "exists", "any", "all", "some", "array", "row", "values",
            "cast", "over", "filter", "within", "as", "on", "using", "key", "check", "unique", "references", "varchar",
            "char", "character", "varying", "numeric", "decimal", "time", "timestamp", "timestamptz", "interval", "bit",
            "float", "with", "table", "primary", "foreign", "by", "partition", "include", "where", "and", "or", "not",
            "from", "select", "returning", "set", "into", "conflict", "do", "is", "between", "like", "ilike", "then",
            "else", "when", "case", "distinct", "lateral", "join", "union", "except", "intersect", "exclude", "default",
            "of", "to", "nulls", "only", "grouping", "rollup", "cube", "sets", "window", "matched", "update", "delete",
            "insert", "owned", "increment", "for", "if", "group", "order", "having", "limit", "offset", "return");

    private Functions() {
    }

    /** The functions called in these tokens, by their last name part, lower case as PostgreSQL folds them. */
    static List<String> calls(List<Token> tokens) {
        List<String> calls = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isName() && tokens.get(i + 1).isSymbol("(") && !(t.kind() == Token.Kind.WORD && NOT_CALLS.contains(t.text()))
                    && !(i > 0 && (tokens.get(i - 1).isSymbol("::") || tokens.get(i - 1).is("as")))) {
                calls.add(t.text());
            }
        }
        return calls;
    }

    /** The first call of a function that is neither harmless nor volatile: it may do anything. */
    static String firstUnknown(List<Token> tokens) {
        return calls(tokens).stream()
                .filter(c -> !HARMLESS.contains(c) && !VOLATILE.contains(c) && !OUTSIDE.containsKey(c))
                .findFirst().orElse(null);
    }

    /** The first call that is volatile, or not known to be harmless (and so may be volatile). */
    static String firstPossiblyVolatile(List<Token> tokens) {
        return calls(tokens).stream().filter(c -> !HARMLESS.contains(c)).findFirst().orElse(null);
    }

    /** Refuses each call of a function that acts outside the schema, wherever it is in the statement. */
    static void refuseOutside(List<Token> tokens, Classification into) {
        for (String call : calls(tokens)) {
            Rule rule = OUTSIDE.get(call);
            if (rule != null) {
                into.refuse(rule, call + "() " + switch (rule) {
                    case OTHER_SESSIONS -> "acts on other sessions (or holds the migrator up)";
                    case SERVER_ACCESS -> "reaches the server's files or other databases";
                    case SERVER_CONFIG -> "changes the server's configuration or replication";
                    case DISABLES_PROTECTION -> "changes a setting, which may switch off the migrator's timeouts";
                    case REPLACE_OBJECT -> "moves a sequence the live version draws from";
                    default -> "runs SQL from a string, which the lint cannot see";
                });
            }
        }
    }
}
