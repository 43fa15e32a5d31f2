package dev.switchback.web.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What each role implies: every role reads, admin does everything, and nothing else is implied. */
class RolesTest {

    @Test
    void shouldGiveAnAdminEveryRole() {
        assertThat(Roles.implied(List.of(Roles.ADMIN))).containsExactlyInAnyOrderElementsOf(Roles.ALL);
    }

    @Test
    void shouldLetAReleaserReadButNotApprove() {
        assertThat(Roles.implied(List.of(Roles.RELEASER))).containsExactlyInAnyOrder(Roles.RELEASER, Roles.VIEWER);
    }

    @Test
    void shouldLetAnApproverReadButNotRelease() {
        assertThat(Roles.implied(List.of(Roles.APPROVER))).containsExactlyInAnyOrder(Roles.APPROVER, Roles.VIEWER);
    }

    @Test
    void shouldKeepUnknownRolesAsTheyAreAndImplyNothingFromThem() {
        assertThat(Roles.implied(List.of("auditor"))).containsExactly("auditor");
        assertThat(Roles.implied(List.of(Roles.VIEWER))).containsExactly(Roles.VIEWER);
    }
}
