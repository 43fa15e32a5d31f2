package dev.switchback.events;

/**
 * A canary step began: green takes a share of the traffic while analysis runs.
 *
 * @param release     which release this is about
 * @param routerPort  port of the router
 * @param step        number of the step, from 1
 * @param steps       how many steps there are before green takes all traffic
 * @param greenWeight share of new requests green gets, 1..99
 * @param pauseSeconds how long the step lasts
 */
public record CanaryStepStarted(ReleaseRef release, int routerPort, int step, int steps, int greenWeight,
                                int pauseSeconds) implements SwitchbackEvent {
}
