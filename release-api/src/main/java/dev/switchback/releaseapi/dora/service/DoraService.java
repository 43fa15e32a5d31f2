package dev.switchback.releaseapi.dora.service;

import dev.switchback.releaseapi.dora.DoraCalculator;
import dev.switchback.releaseapi.dora.DoraFigures;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.ReleaseStep;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Reads the releases that changed in a window, with their histories, and has the figures computed per service and environment. */
@ApplicationScoped
public class DoraService {

    /**
     * The figures of every service and environment with a release that changed in {@code [from, to)}, optionally
     * limited to one service, one environment, and the environments a token may see (null: all).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DoraFigures> figures(String service, String environment, Set<String> environments, Instant from, Instant to) {
        // A release that went live or failed in the window was updated then; one requested long before still counts.
        StringBuilder query = new StringBuilder("updatedAt >= :from and contractRelease = false");
        Parameters parameters = Parameters.with("from", from);
        if (service != null) {
            query.append(" and service = :service");
            parameters.and("service", service);
        }
        if (environment != null) {
            query.append(" and environment = :environment");
            parameters.and("environment", environment);
        }
        if (environments != null) {
            if (environments.isEmpty()) {
                return List.of();
            }
            query.append(" and environment in :environments");
            parameters.and("environments", environments);
        }
        List<Release> releases = Release.list(query + " order by service, environment, requestedAt", parameters);
        Map<UUID, List<ReleaseStep>> steps = steps(releases);
        Map<List<String>, List<Release>> groups = releases.stream().collect(Collectors.groupingBy(
                r -> List.of(r.service, r.environment), LinkedHashMap::new, Collectors.toList()));
        List<DoraFigures> figures = new ArrayList<>();
        groups.forEach((key, group) -> figures.add(DoraCalculator.compute(key.get(0), key.get(1), group, steps, from, to)));
        figures.sort(Comparator.comparing(DoraFigures::service).thenComparing(DoraFigures::environment));
        return figures;
    }

    private static Map<UUID, List<ReleaseStep>> steps(List<Release> releases) {
        if (releases.isEmpty()) {
            return Map.of();
        }
        List<UUID> ids = releases.stream().map(r -> r.id).toList();
        return ReleaseStep.<ReleaseStep>list("releaseId in ?1 order by id", ids).stream()
                .collect(Collectors.groupingBy(s -> s.releaseId, Collectors.toList()));
    }
}
