package dev.switchback.infra.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ./suite token ROLE [--env ENV]... [--subject NAME] [--ttl DURATION]}: prints a token signed with the suite's
 * key as its last line. Roles: viewer, releaser, approver, admin (several with commas).
 */
public final class TokenMain {

    private static final Set<String> ROLES = Set.of("viewer", "releaser", "approver", "admin");

    private TokenMain() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            usage("missing ROLE");
        }
        Path keys = Path.of(args[0]);
        List<String> roles = List.of(args[1].split(","));
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                usage("unknown role " + role + " (one of viewer, releaser, approver, admin)");
            }
        }
        List<String> environments = null;
        String subject = System.getProperty("user.name", "local") + "-" + String.join("-", roles);
        Duration ttl = Duration.ofHours(8);
        for (int i = 2; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--env" -> {
                    if (value == null) {
                        usage("--env needs an environment");
                    }
                    environments = environments == null ? new ArrayList<>() : environments;
                    environments.add(value);
                    i++;
                }
                case "--subject" -> {
                    if (value == null) {
                        usage("--subject needs a name");
                    }
                    subject = value;
                    i++;
                }
                case "--ttl" -> {
                    if (value == null) {
                        usage("--ttl needs a duration such as 1h or 30m");
                    }
                    ttl = Duration.parse("PT" + value.toUpperCase());
                    i++;
                }
                default -> usage("unknown option " + args[i]);
            }
        }
        System.out.println("subject " + subject + ", roles " + roles + ", environments "
                + (environments == null ? "all" : environments) + ", valid for " + ttl.toMinutes() + " min");
        System.out.println(Tokens.in(keys).token(subject, roles, environments, ttl));
    }

    private static void usage(String why) {
        System.err.println(why);
        System.err.println("usage: ./suite token ROLE[,ROLE] [--env ENV]... [--subject NAME] [--ttl 8h]");
        System.exit(2);
    }
}
