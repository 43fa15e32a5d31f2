package dev.switchback.web;

/** The shapes of names every service's API accepts. */
public final class Names {

    /** NAME: a service or environment name, usable in hosts, paths and database names. */
    public static final String NAME = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";

    private Names() {
    }
}
