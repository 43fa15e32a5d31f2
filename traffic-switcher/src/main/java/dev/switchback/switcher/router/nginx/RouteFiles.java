package dev.switchback.switcher.router.nginx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files of each route under nginx's prefix: {@code routes/<route>.conf} (its server and upstream),
 * {@code routes/<route>.control} (its control location) and {@code logs/<route>.access.log}. Always written whole.
 */
final class RouteFiles {

    private final Path routes;
    private final Path logs;

    RouteFiles(Path routes, Path logs) {
        this.routes = routes;
        this.logs = logs;
    }

    /** Writes both files of the route as the given version serves it. */
    void write(RouteConf conf, String bindHost) {
        write(conf(conf.route()), conf.render(bindHost, accessLog(conf.route()).toString()));
        write(control(conf.route()), conf.renderControl());
    }

    /** Puts the previous version of a route back, or removes the route's files when there was none. */
    void restore(RouteConf previous, RouteConf next, String bindHost) {
        if (previous != null) {
            write(previous, bindHost);
        } else {
            delete(next.route());
        }
    }

    /** Removes the route's files; its access log stays, for whoever reads it. */
    void delete(String route) {
        try {
            Files.deleteIfExists(conf(route));
            Files.deleteIfExists(control(route));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the files of " + route, e);
        }
    }

    /** The route's file as written last, by this switcher or a previous one; empty when it has none. */
    Optional<RouteConf> read(String route) {
        try {
            Path file = conf(route);
            return Files.exists(file) ? RouteConf.parse(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file of " + route, e);
        }
    }

    /** Removes the files of every route not named: no one is served by them. */
    void removeAllBut(Set<String> known) {
        try (Stream<Path> files = Files.list(routes)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                String base = name.endsWith(".conf") ? name.substring(0, name.length() - 5)
                        : name.endsWith(".control") ? name.substring(0, name.length() - 8) : null;
                if (base != null && !known.contains(base)) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + routes, e);
        }
    }

    Path accessLog(String route) {
        return logs.resolve(route + ".access.log");
    }

    private Path conf(String route) {
        return routes.resolve(route + ".conf");
    }

    private Path control(String route) {
        return routes.resolve(route + ".control");
    }

    /** Writes a file whole: nginx reading it during a reload sees the old version or the new one, never half. */
    static void write(Path file, String text) {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
