package dev.switchback.events;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the three written forms of a PostgreSQL address (JDBC URL, libpq URI, libpq keywords) as the drivers do.
 * What it cannot read exactly is {@link Unreadable}: the fence refuses what it cannot check.
 */
final class DatabaseAddressParser {

    /** A host name or IPv4 address; IPv6 is checked apart. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[A-Za-z0-9_.-]+)?");
    private static final Pattern KEY = Pattern.compile("[a-z_]+");
    /** LOCATION_KEYS: the libpq keywords that say where to connect; a rewrite replaces them. */
    static final List<String> LOCATION_KEYS = List.of("host", "hostaddr", "port", "dbname");

    /** Why a string that looks like a database address cannot be read. */
    static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason);
        }
    }

    /**
     * An address read from text, with what surrounds its location so that a rewrite can keep the rest as written.
     *
     * @param hosts    hosts
     * @param database database name, null when the text names none
     * @param user     user, null for none
     * @param password password, null for none
     * @param prefix   the text before the location in a rewritten address
     * @param suffix   the text after it
     */
    record Parsed(List<DatabaseAddress.Host> hosts, String database, String user, String password, String prefix,
                  String suffix) {
    }

    private DatabaseAddressParser() {
    }

    /** {@code jdbc:postgresql:db}, {@code jdbc:postgresql://h1[:p1][,h2[:p2]]/[db][?params]}. */
    static Parsed jdbc(String url) throws Unreadable {
        String rest = url.substring("jdbc:postgresql:".length());
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        Map<String, String> params = query(query);
        List<DatabaseAddress.Host> hosts;
        String path;
        if (rest.startsWith("//")) {
            String authority = rest.substring(2);
            int slash = authority.indexOf('/');
            path = slash < 0 ? "" : authority.substring(slash + 1);
            hosts = hosts(slash < 0 ? authority : authority.substring(0, slash), null);
        } else {
            hosts = List.of(new DatabaseAddress.Host("localhost", DatabaseAddress.DEFAULT_PORT));
            path = rest.startsWith("/") ? rest.substring(1) : rest;
        }
        if (path.contains("/")) {
            throw new Unreadable("a JDBC URL's database name has no '/'");
        }
        String database = path.isEmpty() ? null : decode(path);
        return new Parsed(hosts, database, params.get("user"), params.get("password"), "jdbc:postgresql://",
                query == null ? "" : "?" + query);
    }

    /** {@code postgres[ql]://[user[:password]@][h1[:p1][,h2[:p2]]][/db][?params]}, as libpq reads it. */
    static Parsed uri(String uri) throws Unreadable {
        int schemeEnd = uri.indexOf("://");
        String rest = uri.substring(schemeEnd + 3);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? null : authority.substring(0, at);
        String hostPart = at < 0 ? authority : authority.substring(at + 1);
        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        Map<String, String> params = query(query);
        String hostParam = params.containsKey("hostaddr") ? params.get("hostaddr") : params.get("host");
        if (hostParam != null) {
            hostPart = hostParam;
        }
        List<DatabaseAddress.Host> hosts = hostPart.isEmpty() && params.get("port") == null
                ? List.of(new DatabaseAddress.Host("localhost", DatabaseAddress.DEFAULT_PORT))
                : hosts(hostPart.isEmpty() ? "localhost" : hostPart, params.get("port"));
        if (path.contains("/")) {
            throw new Unreadable("a URL's database name has no '/'");
        }
        String database = params.containsKey("dbname") ? params.get("dbname") : path.isEmpty() ? null : decode(path);
        StringBuilder kept = new StringBuilder();
        if (query != null) {
            for (String pair : query.split("&")) {
                String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                if (!LOCATION_KEYS.contains(key)) {
                    kept.append(kept.length() == 0 ? "?" : "&").append(pair);
                }
            }
        }
        return new Parsed(hosts, database, params.getOrDefault("user", user), params.getOrDefault("password", password),
                uri.substring(0, schemeEnd + 3) + (userInfo == null ? "" : userInfo + "@"), kept.toString());
    }

    /** {@code host=h port=5432 dbname='my db' password='it''s'}: libpq's keyword/value form, values quoted or not. */
    static Parsed keywords(Map<String, String> pairs, Map<String, String> rawPairs) throws Unreadable {
        String host = pairs.containsKey("hostaddr") ? pairs.get("hostaddr") : pairs.getOrDefault("host", "localhost");
        List<DatabaseAddress.Host> hosts = hosts(host, pairs.get("port"));
        StringBuilder kept = new StringBuilder();
        rawPairs.forEach((key, raw) -> {
            if (!LOCATION_KEYS.contains(key)) {
                kept.append(raw).append(' ');
            }
        });
        return new Parsed(hosts, pairs.get("dbname"), pairs.get("user"), pairs.get("password"), kept.toString(), "");
    }

    /**
     * Splits a keyword/value string into its pairs (decoded values, and each pair as written).
     *
     * @return null when the text is not entirely keyword/value pairs
     */
    static Map<String, String>[] keywordPairs(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> raw = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String key = text.substring(start, i);
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (!KEY.matcher(key).matches() || i >= n || text.charAt(i) != '=') {
                return null;
            }
            i++;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    return null;
                }
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else {
                        value.append(c);
                    }
                }
            }
            values.put(key, value.toString());
            raw.put(key, text.substring(start, i));
        }
        @SuppressWarnings("unchecked")
        Map<String, String>[] both = new Map[] {values, raw};
        return values.isEmpty() ? null : both;
    }

    /** A comma-separated host list, each with its port or the one port list beside it. */
    static List<DatabaseAddress.Host> hosts(String text, String ports) throws Unreadable {
        String[] names = text.split(",", -1);
        String[] portList = ports == null ? new String[0] : ports.split(",", -1);
        if (portList.length > 1 && portList.length != names.length) {
            throw new Unreadable("names " + names.length + " hosts but " + portList.length + " ports");
        }
        List<DatabaseAddress.Host> hosts = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            String spec = names[i].trim();
            String name;
            String port = portList.length == 0 ? null : portList[portList.length == 1 ? 0 : i];
            if (spec.startsWith("[")) {
                int close = spec.indexOf(']');
                if (close < 0) {
                    throw new Unreadable("an IPv6 host without its closing ']'");
                }
                name = spec.substring(1, close);
                String after = spec.substring(close + 1);
                if (!after.isEmpty()) {
                    if (!after.startsWith(":")) {
                        throw new Unreadable("text after an IPv6 host that is not a port");
                    }
                    port = after.substring(1);
                }
                if (!IPV6.matcher(name).matches()) {
                    throw new Unreadable("a malformed IPv6 host");
                }
            } else if (spec.indexOf(':') != spec.lastIndexOf(':')) {
                name = spec; // an IPv6 address written without brackets, as libpq keywords and host= take it
                if (!IPV6.matcher(name).matches()) {
                    throw new Unreadable("a malformed IPv6 host");
                }
            } else {
                int colon = spec.indexOf(':');
                name = colon < 0 ? spec : spec.substring(0, colon);
                if (colon >= 0) {
                    port = spec.substring(colon + 1);
                }
                name = decode(name);
                if (name.startsWith("/")) {
                    throw new Unreadable("a Unix-domain socket (" + name + "): its server cannot be identified from here");
                }
                if (!HOST_NAME.matcher(name).matches()) {
                    throw new Unreadable("a host that is not a host name or IP address");
                }
            }
            hosts.add(new DatabaseAddress.Host(name.toLowerCase(Locale.ROOT), port(port)));
        }
        return hosts;
    }

    static int port(String text) throws Unreadable {
        if (text == null || text.isEmpty()) {
            return DatabaseAddress.DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(text.trim());
            if (port < 1 || port > 65535) {
                throw new Unreadable("port " + port + " is out of range");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new Unreadable("a port that is not a number");
        }
    }

    private static Map<String, String> query(String query) throws Unreadable {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            params.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return params;
    }

    static String decode(String text) throws Unreadable {
        try {
            // URLDecoder also turns '+' into a space, which URIs do not: keep a '+' as written.
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Unreadable("a malformed percent-encoding");
        }
    }
}
