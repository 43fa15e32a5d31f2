package dev.switchback.events;

import dev.switchback.events.DatabaseAddress.Form;
import dev.switchback.events.DatabaseAddress.Host;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scanner the fence and the copies rely on: every written form of a PostgreSQL address, and default deny. */
class DatabaseAddressesTest {

    private static final String SECRET = "s3cr3t-pw";

    private static DatabaseAddresses.Scan env(String value) {
        return DatabaseAddresses.scan(new RuntimeSpec("process", List.of("java", "-jar", "{artifact}"), Map.of("DB_URL", value)));
    }

    private static DatabaseAddress one(String value) {
        DatabaseAddresses.Scan scan = env(value);
        assertThat(scan.refusals()).as("refusals of " + value).isEmpty();
        assertThat(scan.addresses()).hasSize(1);
        return scan.addresses().get(0);
    }

    private static String refusal(String value) {
        DatabaseAddresses.Scan scan = env(value);
        assertThat(scan.refusals()).as("refusals of " + value).hasSize(1);
        return scan.refusals().get(0);
    }

    @Nested
    class JdbcUrls {

        @Test
        void shouldReadHostPortAndDatabase() {
            DatabaseAddress a = one("jdbc:postgresql://db.internal:6543/orders");
            assertThat(a.form()).isEqualTo(Form.JDBC);
            assertThat(a.hosts()).containsExactly(new Host("db.internal", 6543));
            assertThat(a.database()).isEqualTo("orders");
            assertThat(a.source()).isEqualTo("env DB_URL");
            assertThat(a.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/orders");
        }

        @Test
        void shouldDefaultThePortAndReadTheShortForms() {
            assertThat(one("jdbc:postgresql://db/orders").hosts()).containsExactly(new Host("db", 5432));
            DatabaseAddress local = one("jdbc:postgresql:orders");
            assertThat(local.hosts()).containsExactly(new Host("localhost", 5432));
            assertThat(local.database()).isEqualTo("orders");
        }

        @Test
        void shouldReadEveryHostOfAMultiHostUrl() {
            DatabaseAddress a = one("jdbc:postgresql://a.db:5432,b.db:5433,c.db/orders?targetServerType=primary");
            assertThat(a.hosts()).containsExactly(new Host("a.db", 5432), new Host("b.db", 5433), new Host("c.db", 5432));
        }

        @Test
        void shouldReadAnIpv6Host() {
            DatabaseAddress a = one("jdbc:postgresql://[::1]:5740/accounting");
            assertThat(a.hosts()).containsExactly(new Host("::1", 5740));
            assertThat(a.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5740/accounting");
        }

        @Test
        void shouldReadUserAndPasswordFromTheQueryAndDecodeThem() {
            DatabaseAddress a = one("jdbc:postgresql://db/my%20db?ssl=true&user=app%40x&password=p%26w");
            assertThat(a.database()).isEqualTo("my db");
            assertThat(a.user()).isEqualTo("app@x");
            assertThat(a.password()).isEqualTo("p&w");
        }

        @Test
        void shouldDefaultTheDatabaseToTheUser() {
            assertThat(one("jdbc:postgresql://db/?user=ledger").database()).isEqualTo("ledger");
        }

        @Test
        void shouldFindAUrlInsideACommandArgument() {
            DatabaseAddresses.Scan scan = DatabaseAddresses.scan(new RuntimeSpec("process",
                    List.of("java", "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://prod-db:5432/shop", "-jar", "{artifact}"), Map.of()));
            assertThat(scan.refusals()).isEmpty();
            assertThat(scan.addresses()).singleElement().satisfies(a -> {
                assertThat(a.source()).isEqualTo("command argument 1");
                assertThat(a.database()).isEqualTo("shop");
            });
        }
    }

    @Nested
    class LibpqUris {

        @Test
        void shouldReadUserPasswordHostPortAndDatabase() {
            DatabaseAddress a = one("postgres://app:" + SECRET + "@10.0.0.7:5433/orders");
            assertThat(a.form()).isEqualTo(Form.URL);
            assertThat(a.hosts()).containsExactly(new Host("10.0.0.7", 5433));
            assertThat(a.user()).isEqualTo("app");
            assertThat(a.password()).isEqualTo(SECRET);
            assertThat(a.database()).isEqualTo("orders");
        }

        @Test
        void shouldReadBothSchemesMultipleHostsAndIpv6() {
            assertThat(one("postgresql://h1:123,h2:456/somedb?target_session_attrs=any").hosts())
                    .containsExactly(new Host("h1", 123), new Host("h2", 456));
            assertThat(one("postgresql://[2001:db8::1234]/database").hosts()).containsExactly(new Host("2001:db8::1234", 5432));
        }

        @Test
        void shouldLetQueryParametersOverrideTheLocation() {
            DatabaseAddress a = one("postgresql:///ignored?host=prod-db&port=6000&dbname=orders&user=u&password=pw");
            assertThat(a.hosts()).containsExactly(new Host("prod-db", 6000));
            assertThat(a.database()).isEqualTo("orders");
            assertThat(a.password()).isEqualTo("pw");
        }

        @Test
        void shouldDecodePercentEncodedParts() {
            DatabaseAddress a = one("postgresql://us%3Aer:p%40ss%2Fw@db/my%2Bdb");
            assertThat(a.user()).isEqualTo("us:er");
            assertThat(a.password()).isEqualTo("p@ss/w");
            assertThat(a.database()).isEqualTo("my+db");
        }

        @Test
        void shouldDefaultToLocalhostAndTheUsersDatabase() {
            DatabaseAddress a = one("postgresql://ledger@");
            assertThat(a.hosts()).containsExactly(new Host("localhost", 5432));
            assertThat(a.database()).isEqualTo("ledger");
        }
    }

    @Nested
    class KeywordStrings {

        @Test
        void shouldReadUnquotedAndQuotedValues() {
            DatabaseAddress a = one("host=prod-db port=5433 dbname='my orders' user=app password='it\\'s " + SECRET + "'");
            assertThat(a.form()).isEqualTo(Form.KEYWORDS);
            assertThat(a.hosts()).containsExactly(new Host("prod-db", 5433));
            assertThat(a.database()).isEqualTo("my orders");
            assertThat(a.password()).isEqualTo("it's " + SECRET);
        }

        @Test
        void shouldPreferHostaddrAndReadHostLists() {
            assertThat(one("host=a,b hostaddr=10.0.0.1,10.0.0.2 port=1,2 dbname = x").hosts())
                    .containsExactly(new Host("10.0.0.1", 1), new Host("10.0.0.2", 2));
        }

        @Test
        void shouldLeaveOrdinaryValuesAlone() {
            DatabaseAddresses.Scan scan = DatabaseAddresses.scan(new RuntimeSpec("process", List.of("java", "-Dx=y",
                    "--mode=fast"), Map.of("LOG_LEVEL", "debug", "GREETING", "host is here", "CACHE", "redis://cache:6379")));
            assertThat(scan.addresses()).isEmpty();
            assertThat(scan.refusals()).isEmpty();
        }
    }

    @Nested
    class NamedSettings {

        @Test
        void shouldAssembleTheAddressFromTheEnvKeysTheSpecNames() {
            RuntimeSpec runtime = new RuntimeSpec("process", List.of("java"), Map.of("DB_HOST", "prod-db", "DB_PORT", "6432",
                    "DB_NAME", "orders", "DB_PASS", SECRET), Map.of("host", "DB_HOST", "port", "DB_PORT", "name", "DB_NAME",
                    "password", "DB_PASS"));
            DatabaseAddresses.Scan scan = DatabaseAddresses.scan(runtime);
            assertThat(scan.refusals()).isEmpty();
            assertThat(scan.addresses()).singleElement().satisfies(a -> {
                assertThat(a.form()).isEqualTo(Form.SETTINGS);
                assertThat(a.hosts()).containsExactly(new Host("prod-db", 6432));
                assertThat(a.database()).isEqualTo("orders");
                assertThat(a.password()).isEqualTo(SECRET);
                assertThat(a.toString()).doesNotContain(SECRET);
            });
        }

        @Test
        void shouldRefuseSettingsThatNameMissingKeysOrUnknownParts() {
            DatabaseAddresses.Scan scan = DatabaseAddresses.scan(new RuntimeSpec("process", List.of("java"),
                    Map.of("DB_HOST", "db"), Map.of("host", "DB_HOST", "name", "DB_NAME", "schema", "DB_SCHEMA")));
            assertThat(scan.addresses()).isEmpty();
            assertThat(scan.refusals()).singleElement().asString()
                    .contains("env has no DB_NAME").contains("unknown part 'schema'");
        }

        @Test
        void shouldReadLibpqsOwnEnvironmentVariables() {
            DatabaseAddress a = DatabaseAddresses.scan(new RuntimeSpec("process", List.of("java"),
                    Map.of("PGHOST", "prod-db", "PGDATABASE", "orders", "PGPASSWORD", SECRET))).addresses().get(0);
            assertThat(a.hosts()).containsExactly(new Host("prod-db", 5432));
            assertThat(a.database()).isEqualTo("orders");
            assertThat(a.source()).isEqualTo("env PGHOST,PGDATABASE,PGPASSWORD");
        }
    }

    @Nested
    class DefaultDeny {

        @Test
        void shouldRefuseANonPostgresqlJdbcUrl() {
            assertThat(refusal("jdbc:mysql://prod-db:3306/orders")).contains("env DB_URL").contains("jdbc:mysql:")
                    .contains("PostgreSQL databases only");
            assertThat(refusal("mysql://root:pw@prod-db/orders")).contains("mysql://");
        }

        @Test
        void shouldRefuseAddressesItCannotReadExactly() {
            assertThat(refusal("jdbc:postgresql://${DB_HOST}/orders")).contains("not a host name");
            assertThat(refusal("jdbc:postgresql://db:notaport/orders")).contains("port");
            assertThat(refusal("postgresql://db:70000/orders")).contains("out of range");
            assertThat(refusal("postgresql://[::1/orders")).contains("IPv6");
            assertThat(refusal("postgresql:///orders?host=/var/run/postgresql")).contains("Unix-domain socket");
            assertThat(refusal("jdbc:postgresql://db/")).contains("names no database");
            assertThat(refusal("dbname=orders host='unterminated")).contains("keyword string");
            assertThat(refusal("jdbc:postgresql://db/a%zzb")).contains("percent-encoding");
        }

        @Test
        void shouldNeverPutThePasswordInARefusal() {
            assertThat(refusal("jdbc:mysql://db/orders?user=app&password=" + SECRET)).doesNotContain(SECRET).contains("password=***");
            assertThat(refusal("mysql://app:" + SECRET + "@db/orders")).doesNotContain(SECRET);
            assertThat(refusal("dbname=x password='" + SECRET + "' host='open")).doesNotContain(SECRET);
        }

        @Test
        void shouldNeverPutThePasswordInTheAddressesText() {
            DatabaseAddress a = one("postgres://app:" + SECRET + "@prod-db/orders");
            assertThat(a.redacted()).isEqualTo("postgresql://app:***@prod-db:5432/orders");
            assertThat(a.toString()).doesNotContain(SECRET);
            assertThat(a.jdbcUrl()).doesNotContain(SECRET);
        }
    }

    @Nested
    class Rewrites {

        private final List<Host> copy = List.of(new Host("127.0.0.1", 15432));

        @Test
        void shouldPointEveryFormAtTheCopyAndKeepTheRest() {
            RuntimeSpec runtime = new RuntimeSpec("process",
                    List.of("java", "-Ddb=jdbc:postgresql://a:1,b:2/orders?user=app&ssl=true", "-jar", "{artifact}"),
                    Map.of("DB_URL", "postgres://app:pw@prod-db/orders?sslmode=require&host=x",
                            "DSN", "host=prod-db port=5432 dbname=orders user=app",
                            "DB_HOST", "prod-db", "DB_PORT", "5432", "DB_NAME", "orders", "OTHER", "unchanged"),
                    Map.of("host", "DB_HOST", "port", "DB_PORT", "name", "DB_NAME"));

            RuntimeSpec rewritten = DatabaseAddresses.rewrite(runtime, copy, "orders_copy_1");

            assertThat(rewritten.command().get(1)).isEqualTo("-Ddb=jdbc:postgresql://127.0.0.1:15432/orders_copy_1?user=app&ssl=true");
            assertThat(rewritten.env().get("DB_URL")).isEqualTo("postgres://app:pw@127.0.0.1:15432/orders_copy_1?sslmode=require");
            assertThat(rewritten.env().get("DSN")).isEqualTo("user=app host=127.0.0.1 port=15432 dbname='orders_copy_1'");
            assertThat(rewritten.env()).containsEntry("DB_HOST", "127.0.0.1").containsEntry("DB_NAME", "orders_copy_1")
                    .containsEntry("DB_PORT", "15432")
                    .containsEntry("OTHER", "unchanged");
            assertThat(DatabaseAddresses.scan(rewritten).addresses()).allSatisfy(a -> {
                assertThat(a.database()).isEqualTo("orders_copy_1");
                assertThat(a.hosts()).containsExactly(new Host("127.0.0.1", 15432));
            });
        }

        @Test
        void shouldRefuseToRewriteWhatItCannotRead() {
            RuntimeSpec runtime = new RuntimeSpec("process", List.of("java"), Map.of("DB_URL", "jdbc:mysql://db/x"));
            assertThatThrownBy(() -> DatabaseAddresses.rewrite(runtime, copy, "x_copy")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void shouldRefuseSettingsWithoutAPortKeyWhenTheCopyIsOnAnotherPort() {
            RuntimeSpec runtime = new RuntimeSpec("process", List.of("java"), Map.of("DB_HOST", "h", "DB_NAME", "n"),
                    Map.of("host", "DB_HOST", "name", "DB_NAME"));
            assertThatThrownBy(() -> DatabaseAddresses.rewrite(runtime, copy, "n_copy")).hasMessageContaining("no port");
        }
    }
}
