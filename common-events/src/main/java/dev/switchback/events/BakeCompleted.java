package dev.switchback.events;

/**
 * The bake ended successfully (analysis passed, or promotion was requested): blue may be retired.
 *
 * @param release                which release this is about
 * @param reason                 how the bake ended
 * @param passedIntervals        intervals judged and passed
 * @param inconclusiveIntervals  intervals with too few requests to judge
 * @param total                  what was measured of green over the whole bake; null when nothing was measured
 */
public record BakeCompleted(ReleaseRef release, String reason, int passedIntervals, int inconclusiveIntervals,
                            Measurement total) implements SwitchbackEvent {
}
