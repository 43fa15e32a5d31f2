package dev.switchback.switcher;

import dev.switchback.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The switcher's cutovers and rollbacks through the embedded router. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "traffic_switcher_test"))
class SwitchServiceTest extends SwitchServiceContract {

    @Override
    String driver() {
        return "embedded";
    }
}
