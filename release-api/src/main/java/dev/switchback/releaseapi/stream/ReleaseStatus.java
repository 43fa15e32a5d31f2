package dev.switchback.releaseapi.stream;

import dev.switchback.releaseapi.release.Condition;
import dev.switchback.releaseapi.release.Phase;
import dev.switchback.releaseapi.release.Release;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A release's status as a stream event carries it: what a dashboard or a waiting CI job needs after each change.
 *
 * @param id          id of the release
 * @param service     service released
 * @param environment environment
 * @param version     version asked for
 * @param phase       where it stands after the change
 * @param reason      why it failed, was rolled back or cancelled
 * @param endpoint    address of green once known
 * @param updatedAt   when its phase last changed
 * @param liveAt      when it went live
 * @param promotedAt  when its bake ended successfully
 * @param done        whether nothing more will happen to it: promoted (or a contract applied), failed, rolled back or
 *                    cancelled
 * @param conditions  facts about it beyond its phase
 */
public record ReleaseStatus(UUID id, String service, String environment, String version, Phase phase, String reason,
                            String endpoint, Instant updatedAt, Instant liveAt, Instant promotedAt, boolean done,
                            List<Condition> conditions) {

    public static ReleaseStatus of(Release release) {
        return new ReleaseStatus(release.id, release.service, release.environment, release.version, release.phase,
                release.reason, release.endpoint, release.updatedAt, release.liveAt, release.promotedAt,
                release.phase.isTerminal() || (release.phase == Phase.LIVE && release.promotedAt != null),
                release.conditions);
    }
}
