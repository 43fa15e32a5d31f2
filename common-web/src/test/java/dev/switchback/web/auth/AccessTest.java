package dev.switchback.web.auth;

import dev.switchback.web.ProblemException;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a token may act: the environments its claim names, nowhere for a claim it cannot read, everywhere without one. */
class AccessTest {

    private static final String CLAIM = "environments";

    private static Access access(Map<String, Object> claims, boolean requireEnvironments) {
        return new Access(TestTokens.identity(claims, Roles.RELEASER), CLAIM, requireEnvironments);
    }

    @Test
    void shouldLimitATokenToTheEnvironmentsOfItsArrayClaim() {
        Access access = access(Map.of("sub", "ci", CLAIM, Json.createArrayBuilder().add("staging").add("dev").build()), false);

        assertThat(access.environments()).contains(Set.of("staging", "dev"));
        assertThatCode(() -> access.requireEnvironment("staging")).doesNotThrowAnyException();
        assertThatThrownBy(() -> access.requireEnvironment("production"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("staging, dev").contains("production");
                });
    }

    @Test
    void shouldReadASpaceOrCommaSeparatedStringClaim() {
        Access access = access(Map.of("sub", "ci", CLAIM, Json.createValue("staging, dev  qa")), false);

        assertThat(access.environments()).contains(Set.of("staging", "dev", "qa"));
    }

    @Test
    void shouldNotLimitATokenWithoutTheClaimUnlessTheInstallationRequiresIt() {
        assertThat(access(Map.of("sub", "ci"), false).environments()).isEmpty();
        assertThatCode(() -> access(Map.of("sub", "ci"), false).requireEnvironment("production")).doesNotThrowAnyException();

        Access required = access(Map.of("sub", "ci"), true);
        assertThat(required.environments()).contains(Set.of());
        assertThatThrownBy(() -> required.requireEnvironment("production"))
                .isInstanceOf(ProblemException.class).hasMessageContaining("names no environment");
    }

    @Test
    void shouldLimitATokenWhoseClaimHasAnotherShapeToNothing() {
        Access access = access(Map.of("sub", "ci", CLAIM, Json.createValue(42)), false);

        assertThat(access.environments()).isEqualTo(Optional.of(Set.of()));
        assertThatThrownBy(() -> access.requireEnvironment("staging")).isInstanceOf(ProblemException.class);
    }

    @Test
    void shouldNameTheCallerByTheTokensSubjectAndAnonymousWithoutOne() {
        assertThat(access(Map.of("sub", "alice"), false).subject()).isEqualTo("alice");
        Access anonymous = new Access(TestTokens.anonymous(), CLAIM, false);
        assertThat(anonymous.subject()).isEqualTo("anonymous");
        assertThat(anonymous.isAnonymous()).isTrue();
    }

    @Test
    void shouldRefuseACallThatNeedsARoleTheTokenLacks() {
        Access releaser = access(Map.of("sub", "ci"), false);

        assertThatCode(() -> releaser.requireRole(Roles.RELEASER, "promoting")).doesNotThrowAnyException();
        assertThatThrownBy(() -> releaser.requireRole(Roles.ADMIN, "overriding a freeze"))
                .isInstanceOf(ProblemException.class).hasMessage("overriding a freeze needs role admin");
    }
}
