package dev.switchback.sample;

/** Failure mode a release switches on through the tag at the end of its version, e.g. 1.1.0-fail. */
enum VersionTag {

    /** NONE: a well-behaved release. */
    NONE(null),
    /** FAIL: /health passes but every other request answers 500, so only real traffic shows it. */
    FAIL("-fail"),
    /** UNHEALTHY: /health always answers 503, so the release never gets traffic. */
    UNHEALTHY("-unhealthy"),
    /** SLOW: every request but /health waits one second first, so only latency checks catch it. */
    SLOW("-slow");

    /** suffix is how the version string ends when this mode is on; null for NONE. */
    private final String suffix;

    VersionTag(String suffix) {
        this.suffix = suffix;
    }

    /** Returns the failure mode the version asks for, NONE when its tag is not one of them. */
    static VersionTag of(String version) {
        for (VersionTag tag : values()) {
            if (tag.suffix != null && version.endsWith(tag.suffix)) {
                return tag;
            }
        }
        return NONE;
    }
}
