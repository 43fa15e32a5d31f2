package dev.switchback.switcher.router.embedded;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The endpoints of a route with their cumulative weights, immutable so a switch is one swap of a reference: picking
 * one is a draw in [0, 100).
 *
 * @param endpoints the endpoints, in order
 * @param upTo      each endpoint's cumulative weight
 * @param weights   endpoint to weight, as asked
 * @param fallback  where a failed idempotent request goes once more; null for none
 */
record WeightTable(String[] endpoints, int[] upTo, Map<String, Integer> weights, String fallback) {
    static final WeightTable EMPTY = new WeightTable(new String[0], new int[0], Map.of(), null);

    static WeightTable of(Map<String, Integer> weights, String fallback) {
        String[] endpoints = new String[weights.size()];
        int[] upTo = new int[weights.size()];
        int i = 0;
        int sum = 0;
        for (Map.Entry<String, Integer> entry : weights.entrySet()) {
            sum += entry.getValue();
            endpoints[i] = entry.getKey();
            upTo[i++] = sum;
        }
        return new WeightTable(endpoints, upTo, Map.copyOf(weights), fallback);
    }

    String pick() {
        if (endpoints.length == 1) {
            return endpoints[0];
        }
        int draw = ThreadLocalRandom.current().nextInt(100);
        for (int i = 0; i < endpoints.length; i++) {
            if (draw < upTo[i]) {
                return endpoints[i];
            }
        }
        return endpoints[endpoints.length - 1];
    }
}
