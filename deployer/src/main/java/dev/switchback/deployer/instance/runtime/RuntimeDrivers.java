package dev.switchback.deployer.instance.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

/** Every runtime driver the deployer has, found by the name a service spec gives. */
@ApplicationScoped
public class RuntimeDrivers {

    private final Instance<RuntimeDriver> drivers;

    public RuntimeDrivers(@Any Instance<RuntimeDriver> drivers) {
        this.drivers = drivers;
    }

    /** The driver of that name; an unknown name is refused with what was asked. */
    public RuntimeDriver named(String name) {
        for (RuntimeDriver driver : drivers) {
            if (driver.name().equals(name)) {
                return driver;
            }
        }
        throw new IllegalArgumentException("no runtime driver named " + name);
    }
}
