package dev.switchback.web;

/** The shapes of names every service's API accepts. */
public final class Names {

    /** NAME: a service or environment name, usable in hosts, paths and database names. */
    public static final String NAME = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";

    /** TEXT: free text people write (reasons, descriptions): anything but control characters, which forge log lines. */
    public static final String TEXT = "[^\\p{Cntrl}]*";

    /**
     * ARTIFACT: a path or URL of what a runtime driver runs, with {@code {version}} allowed: no spaces, no shell
     * characters, no {@code ..} segment.
     */
    public static final String ARTIFACT = "(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9_./{}:@+=%-]{1,1024}";

    /** HTTP_PATH: a path on an instance, e.g. {@code /health}: no {@code ..} segment. */
    public static final String HTTP_PATH = "(?!.*/\\.\\.(/|$))/[A-Za-z0-9/_.-]{0,200}";

    private Names() {
    }
}
