package dev.switchback.switcher.router.nginx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The main configuration of the router's nginx: workers, logs, proxy defaults, the route files and the control server. */
final class MainConf {

    private MainConf() {
    }

    /**
     * @param workers     worker processes
     * @param pidFile     where the master writes its pid
     * @param errorLog    nginx's error log
     * @param version     what {@code nginx -V} printed: which modules are compiled in
     * @param controlPort the loopback control server's port
     * @param token       what {@code /switchback} answers, to tell this configuration from an older one
     * @param readTimeout how long an endpoint may keep nginx waiting between two reads of its answer
     */
    static String render(int workers, Path pidFile, Path errorLog, String version, int controlPort, String token,
                         Duration readTimeout) {
        StringBuilder temp = new StringBuilder("    client_body_temp_path temp/client_body;\n    proxy_temp_path temp/proxy;\n");
        // Every compiled-in module creates its temp directory at start, by default under /var/lib/nginx, which only
        // root may write; naming one that is not compiled in is an error, so ask the binary which it has.
        for (String module : List.of("fastcgi", "uwsgi", "scgi")) {
            if (!version.contains("--without-http_" + module + "_module")) {
                temp.append("    ").append(module).append("_temp_path temp/").append(module).append(";\n");
            }
        }
        return """
                # Written by the switcher's nginx router at every start; edits are lost.
                daemon off;
                worker_processes %d;
                pid %s;
                error_log %s warn;

                events {
                    worker_connections 4096;
                }

                http {
                    access_log off;
                    server_tokens off;
                %s
                    # Each attempt of a request: which endpoint, what it answered, how long it took; then the request.
                    log_format switchback '$upstream_addr|$upstream_status|$upstream_response_time|$status|$request_time';

                    # Keep-alive to the endpoints needs HTTP/1.1 and no Connection header passed on.
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_connect_timeout 2s;
                    proxy_read_timeout %dms;
                    # Another endpoint gets a request only when nothing of it was processed, or it is idempotent: nginx
                    # never passes on a POST, PATCH or LOCK once sent, as non_idempotent is not listed.
                    proxy_next_upstream error timeout http_502 http_503 http_504;
                    proxy_next_upstream_tries 2;

                    include routes/*.conf;

                    # Loopback only: what nginx serves, read back by the router to verify every reload.
                    server {
                        listen 127.0.0.1:%d;
                        location = /switchback {
                            default_type text/plain;
                            return 200 "%s\\n";
                        }
                        include routes/*.control;
                        location / {
                            return 404;
                        }
                    }
                }
                """.formatted(workers, pidFile, errorLog, temp.toString().stripTrailing(), readTimeout.toMillis(), controlPort,
                token);
    }
}
