package dev.switchback.lint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Every corpus migration breaks exactly the rules the corpus names, and every rule has a refused form and an allowed neighbour (in an expand release, or in a contract release for a contract change). */
class CorpusTest {

    static List<Corpus.Entry> entries() {
        return Corpus.entries();
    }

    private static LintReport lint(Corpus.Entry entry, ChangeKind kind) {
        return MigrationLinter.lint(List.of(new MigrationLinter.Script("7", entry.sql(), entry.backfill())), kind);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void shouldBreakExactlyTheRulesTheCorpusNames(Corpus.Entry entry) {
        LintReport expand = lint(entry, ChangeKind.EXPAND);

        Set<String> broken = new TreeSet<>(expand.violations().stream().map(LintViolation::rule).toList());
        assertThat(broken).as("rules broken in an expand release").isEqualTo(new TreeSet<>(entry.expand()));
        assertThat(expand.allowed()).isEqualTo(entry.expand().isEmpty());
        assertThat(expand.violations()).allSatisfy(v -> {
            assertThat(v.migration()).isEqualTo("7");
            assertThat(v.line()).isPositive();
            assertThat(v.statement()).isNotBlank();
            assertThat(v.message()).isNotBlank();
            assertThat(v.safeAlternative()).isNotBlank();
            if (!v.rule().equals("setting-not-null")) {
                assertThat(v.destructive()).isEqualTo(Rule.byId(v.rule()).orElseThrow().destructive());
            }
        });
        if (entry.contract() != null) {
            LintReport contract = lint(entry, ChangeKind.CONTRACT);
            Set<String> inContract = new TreeSet<>(contract.violations().stream().map(LintViolation::rule).toList());
            assertThat(inContract).as("rules broken in a contract release").isEqualTo(new TreeSet<>(entry.contract()));
        }
    }

    @Test
    void shouldHaveARefusedFormAndAnAllowedNeighbourForEveryRule() {
        Set<String> refused = entries().stream().flatMap(e -> e.expand().stream()).collect(Collectors.toSet());
        Set<String> neighbours = entries().stream().filter(e -> e.neighbour() != null
                        && (e.expand().isEmpty() || e.contract() != null && e.contract().isEmpty()))
                .map(Corpus.Entry::neighbour).collect(Collectors.toSet());
        Set<String> all = Arrays.stream(Rule.values()).map(Rule::id).collect(Collectors.toSet());

        assertThat(refused).as("rules with a refused form").containsAll(all);
        assertThat(neighbours).as("rules with an allowed neighbour").containsAll(all);
        assertThat(refused).as("rule ids the corpus names").isSubsetOf(all);
    }
}
