package dev.switchback.web.auth;

import io.quarkus.security.identity.SecurityIdentity;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A token's roles grow by what they imply, and a token from a subject the installation does not trust has none. */
class RoleAugmentorTest {

    private static SecurityIdentity augmented(Optional<String> subjects, SecurityIdentity identity) {
        return new RoleAugmentor(subjects).augment(identity, null).await().indefinitely();
    }

    @Test
    void shouldAddTheRolesAnAdminImplies() {
        SecurityIdentity identity = augmented(Optional.empty(), TestTokens.identity(Map.of("sub", "ops"), Roles.ADMIN));

        assertThat(identity.getRoles()).containsExactlyInAnyOrderElementsOf(Roles.ALL);
    }

    @Test
    void shouldTakeEveryRoleFromASubjectOutsideThePattern() {
        Optional<String> trusted = Optional.of("repo:acme/.*");

        SecurityIdentity stranger = augmented(trusted, TestTokens.identity(Map.of("sub", "repo:mallory/app"), Roles.ADMIN));
        SecurityIdentity ours = augmented(trusted, TestTokens.identity(Map.of("sub", "repo:acme/app"), Roles.RELEASER));

        assertThat(stranger.getRoles()).isEmpty();
        assertThat(stranger.getPrincipal().getName()).isEqualTo("repo:mallory/app");
        assertThat(ours.getRoles()).containsExactlyInAnyOrder(Roles.RELEASER, Roles.VIEWER);
    }

    @Test
    void shouldLeaveAnAnonymousCallerAsItIs() {
        SecurityIdentity anonymous = TestTokens.anonymous();

        assertThat(augmented(Optional.of("repo:acme/.*"), anonymous)).isSameAs(anonymous);
    }
}
