package dev.switchback.events;

import java.util.List;

/**
 * A contract release's migrations are applied to a non-production copy of its target's schema, and production is
 * untouched: the deployer is to prove the live version against the copy before production changes.
 *
 * @param release  which release this is about
 * @param url      the copy's JDBC URL, without credentials: the live version's addresses are pointed at it
 * @param database the copy's database name
 * @param applied  the migration versions applied to the copy, in order
 */
public record CopyPrepared(ReleaseRef release, String url, String database, List<String> applied) implements SwitchbackEvent {
}
