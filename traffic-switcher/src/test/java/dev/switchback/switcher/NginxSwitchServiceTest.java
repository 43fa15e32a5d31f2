package dev.switchback.switcher;

import dev.switchback.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.extension.ExtendWith;

/** The same cutovers and rollbacks as {@link SwitchServiceTest}, as pinned by {@link SwitchServiceContract}, through a real nginx the switcher runs and reloads. */
@QuarkusTest
@ExtendWith(NginxInstalled.class)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "traffic_switcher_test"))
class NginxSwitchServiceTest extends SwitchServiceContract {

    @Override
    String driver() {
        return "nginx";
    }
}
