package dev.switchback.events;

import dev.switchback.events.DatabaseAddressParser.Parsed;
import dev.switchback.events.DatabaseAddressParser.Unreadable;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds every database address in an instance's runtime configuration (env values and command arguments: JDBC URLs,
 * libpq URIs and keyword strings; host/port/name entries named by {@link RuntimeSpec#databaseEnv} or libpq's own
 * {@code PG*} variables), and points them all at another database. Default deny: what looks like a database address
 * but cannot be read exactly, or is not PostgreSQL, is a refusal, never skipped. Pure: used by the db-migrator's
 * fence and by the deployer's copies.
 */
public final class DatabaseAddresses {

    /** Where an address starts: a JDBC URL of any driver, or a URI of a database scheme. */
    private static final Pattern MARKER = Pattern.compile("(?i)jdbc:[a-z0-9]+:|(?<![a-z0-9+.-])"
            + "(postgres(?:ql)?|mysql|mariadb|sqlserver|mssql|oracle|mongodb(?:\\+srv)?|redshift|cockroachdb)://");
    /** What ends an address embedded in a longer argument. */
    private static final Pattern END = Pattern.compile("[\\s\"'`]");
    private static final Pattern KEYWORD_LOOKALIKE = Pattern.compile("(?i)(^|[\\s;])(dbname|hostaddr)\\s*=");
    private static final Set<String> ROLES = Set.of("host", "port", "name", "user", "password");
    private static final List<String> LIBPQ_ENV = List.of("PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER",
            "PGPASSWORD");

    private DatabaseAddresses() {
    }

    /**
     * What a scan found.
     *
     * @param addresses every address read, in the order found
     * @param refusals  why each look-alike that could not be read is refused; passwords redacted
     */
    public record Scan(List<DatabaseAddress> addresses, List<String> refusals) {

        /** Whether nothing was refused. */
        public boolean readable() {
            return refusals.isEmpty();
        }
    }

    /** One address inside one string. */
    private record Match(int start, int end, DatabaseAddress.Form form, Parsed parsed) {
    }

    /** Scans env values, command arguments and the named settings of a runtime. */
    public static Scan scan(RuntimeSpec runtime) {
        List<DatabaseAddress> found = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        if (runtime == null) {
            return new Scan(found, refusals);
        }
        new java.util.TreeMap<>(runtime.envOrEmpty()).forEach((key, value) ->
                scanValue("env " + key, value, found, refusals));
        List<String> command = runtime.commandOrEmpty();
        for (int i = 0; i < command.size(); i++) {
            scanValue("command argument " + i, command.get(i), found, refusals);
        }
        settings(runtime, found, refusals);
        return new Scan(found, refusals);
    }

    /**
     * The runtime with every database address pointing at {@code hosts}/{@code database} instead, written in the
     * form it had; credentials and other parameters stay as they were.
     *
     * @throws IllegalArgumentException when the runtime holds an address that cannot be read, or a setting cannot say
     *                                  the new location
     */
    public static RuntimeSpec rewrite(RuntimeSpec runtime, List<DatabaseAddress.Host> hosts, String database) {
        Scan scan = scan(runtime);
        if (!scan.readable()) {
            throw new IllegalArgumentException(String.join("; ", scan.refusals()));
        }
        Map<String, String> env = new LinkedHashMap<>();
        runtime.envOrEmpty().forEach((key, value) -> env.put(key, rewriteValue(value, hosts, database)));
        List<String> command = runtime.commandOrEmpty().stream().map(arg -> rewriteValue(arg, hosts, database)).toList();
        Map<String, String> roles = runtime.databaseEnvOrEmpty();
        String hostList = hosts.stream().map(DatabaseAddress.Host::name).collect(Collectors.joining(","));
        String portList = hosts.stream().map(h -> Integer.toString(h.port())).collect(Collectors.joining(","));
        if (!roles.isEmpty()) {
            env.put(roles.get("host"), hostList);
            env.put(roles.get("name"), database);
            putPort(env, roles.get("port"), portList, hosts, "databaseEnv names no port");
        }
        if (hasLibpqEnv(runtime.envOrEmpty())) {
            env.remove("PGHOSTADDR");
            env.put("PGHOST", hostList);
            env.put("PGDATABASE", database);
            env.put("PGPORT", portList);
        }
        return new RuntimeSpec(runtime.driver(), command, env, runtime.databaseEnv(), runtime.kubernetes());
    }

    /**
     * Reads one string that must hold exactly one address (a service spec's target database URL).
     *
     * @throws IllegalArgumentException when it holds none, several, or one that cannot be read
     */
    public static DatabaseAddress parse(String source, String value) {
        List<DatabaseAddress> found = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        scanValue(source, value, found, refusals);
        if (!refusals.isEmpty() || found.size() != 1) {
            throw new IllegalArgumentException(refusals.isEmpty() ? source + " holds " + found.size()
                    + " database addresses, not one" : refusals.get(0));
        }
        return found.get(0);
    }

    /** Masks passwords in text that may hold an address: {@code password=...} and {@code user:password@}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String masked = text.replaceAll("(?i)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'?|[^&\\s;]*)", "$1***")
                .replaceAll("(://[^/@\\s:]*:)[^@\\s]*@", "$1***@");
        return masked.length() > 200 ? masked.substring(0, 200) + "..." : masked;
    }

    private static void scanValue(String source, String value, List<DatabaseAddress> found, List<String> refusals) {
        if (value == null) {
            return;
        }
        try {
            for (Match match : matches(value)) {
                found.add(address(source, match.form(), match.parsed()));
            }
        } catch (Unreadable e) {
            refusals.add(source + " looks like a database address but is refused: " + e.getMessage() + ": "
                    + redact(value));
        }
    }

    private static List<Match> matches(String value) throws Unreadable {
        List<Match> matches = new ArrayList<>();
        Matcher marker = MARKER.matcher(value);
        int from = 0;
        while (from < value.length() && marker.find(from)) {
            int start = marker.start();
            Matcher end = END.matcher(value);
            int stop = end.find(marker.end()) ? end.start() : value.length();
            String text = value.substring(start, stop);
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.startsWith("jdbc:postgresql:")) {
                matches.add(new Match(start, stop, DatabaseAddress.Form.JDBC, DatabaseAddressParser.jdbc(text)));
            } else if (lower.startsWith("postgres://") || lower.startsWith("postgresql://")) {
                matches.add(new Match(start, stop, DatabaseAddress.Form.URL, DatabaseAddressParser.uri(text)));
            } else {
                throw new Unreadable("not a PostgreSQL address (" + marker.group().toLowerCase(Locale.ROOT)
                        + "): the fence can check PostgreSQL databases only");
            }
            from = stop;
        }
        if (!matches.isEmpty()) {
            return matches;
        }
        Map<String, String>[] pairs = DatabaseAddressParser.keywordPairs(value);
        if (pairs != null && (pairs[0].containsKey("host") || pairs[0].containsKey("hostaddr")
                || pairs[0].containsKey("dbname"))) {
            int start = value.indexOf(value.trim());
            return List.of(new Match(start, start + value.trim().length(), DatabaseAddress.Form.KEYWORDS,
                    DatabaseAddressParser.keywords(pairs[0], pairs[1])));
        }
        if (KEYWORD_LOOKALIKE.matcher(value).find()) {
            throw new Unreadable("a libpq keyword string that cannot be read");
        }
        return matches;
    }

    private static DatabaseAddress address(String source, DatabaseAddress.Form form, Parsed parsed) throws Unreadable {
        String database = parsed.database() != null && !parsed.database().isEmpty() ? parsed.database() : parsed.user();
        if (database == null || database.isEmpty()) {
            throw new Unreadable("it names no database (and no user whose name would be the default)");
        }
        return new DatabaseAddress(source, form, parsed.hosts(), database, parsed.user(), parsed.password());
    }

    private static void settings(RuntimeSpec runtime, List<DatabaseAddress> found, List<String> refusals) {
        Map<String, String> env = runtime.envOrEmpty();
        Map<String, String> roles = runtime.databaseEnvOrEmpty();
        if (!roles.isEmpty()) {
            List<String> problems = new ArrayList<>();
            roles.keySet().stream().filter(role -> !ROLES.contains(role)).sorted()
                    .forEach(role -> problems.add("unknown part '" + role + "' (known: host, port, name, user, password)"));
            for (String role : List.of("host", "name")) {
                if (!roles.containsKey(role)) {
                    problems.add("no env key named for the database " + role);
                }
            }
            roles.forEach((role, key) -> {
                if (ROLES.contains(role) && !env.containsKey(key)) {
                    problems.add("names " + key + " for the database " + role + ", and env has no " + key);
                }
            });
            String source = "databaseEnv " + new java.util.TreeMap<>(roles).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
            settingsAddress(source, lookup(env, roles.get("host")), lookup(env, roles.get("port")),
                    lookup(env, roles.get("name")), lookup(env, roles.get("user")), lookup(env, roles.get("password")),
                    problems, found, refusals);
        }
        if (hasLibpqEnv(env)) {
            String host = env.containsKey("PGHOSTADDR") ? env.get("PGHOSTADDR") : env.getOrDefault("PGHOST", "localhost");
            String source = "env " + LIBPQ_ENV.stream().filter(env::containsKey).collect(Collectors.joining(","));
            settingsAddress(source, host, env.get("PGPORT"), env.getOrDefault("PGDATABASE", env.get("PGUSER")),
                    env.get("PGUSER"), env.get("PGPASSWORD"), new ArrayList<>(), found, refusals);
        }
    }

    private static void settingsAddress(String source, String host, String port, String name, String user,
                                        String password, List<String> problems, List<DatabaseAddress> found,
                                        List<String> refusals) {
        if (problems.isEmpty()) {
            try {
                if (name == null || name.isEmpty()) {
                    throw new Unreadable("it names no database");
                }
                found.add(new DatabaseAddress(source, DatabaseAddress.Form.SETTINGS,
                        DatabaseAddressParser.hosts(host, port), name, user, password));
                return;
            } catch (Unreadable e) {
                problems.add(e.getMessage());
            }
        }
        refusals.add(source + " is refused: " + String.join("; ", problems));
    }

    private static String lookup(Map<String, String> env, String key) {
        return key == null ? null : env.get(key);
    }

    private static boolean hasLibpqEnv(Map<String, String> env) {
        return env.containsKey("PGHOST") || env.containsKey("PGHOSTADDR") || env.containsKey("PGDATABASE");
    }

    private static String rewriteValue(String value, List<DatabaseAddress.Host> hosts, String database) {
        if (value == null) {
            return null;
        }
        List<Match> matches;
        try {
            matches = matches(value);
        } catch (Unreadable e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        StringBuilder rewritten = new StringBuilder(value);
        for (int i = matches.size() - 1; i >= 0; i--) {
            Match match = matches.get(i);
            rewritten.replace(match.start(), match.end(), match.parsed().prefix() + location(match.form(), hosts, database)
                    + match.parsed().suffix());
        }
        return rewritten.toString();
    }

    private static String location(DatabaseAddress.Form form, List<DatabaseAddress.Host> hosts, String database) {
        if (form == DatabaseAddress.Form.KEYWORDS) {
            return "host=" + hosts.stream().map(DatabaseAddress.Host::name).collect(Collectors.joining(","))
                    + " port=" + hosts.stream().map(h -> Integer.toString(h.port())).collect(Collectors.joining(","))
                    + " dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        return hosts.stream().map(DatabaseAddress.Host::render).collect(Collectors.joining(",")) + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    private static void putPort(Map<String, String> env, String key, String ports, List<DatabaseAddress.Host> hosts,
                                String missing) {
        if (key != null) {
            env.put(key, ports);
        } else if (hosts.stream().anyMatch(h -> h.port() != DatabaseAddress.DEFAULT_PORT)) {
            throw new IllegalArgumentException(missing + ", and the new database is not on port 5432");
        }
    }
}
