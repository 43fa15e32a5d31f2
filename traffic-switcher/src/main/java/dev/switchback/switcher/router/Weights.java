package dev.switchback.switcher.router;

import java.util.LinkedHashMap;
import java.util.Map;

/** The weights of a route as a router takes them: endpoint to share of new requests, positive, summing to 100. */
public final class Weights {

    private Weights() {
    }

    /** Blue keeps what green does not take; a route with no blue (a first release) sends green everything. */
    public static Map<String, Integer> of(String blue, String green, int greenWeight) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        if (blue != null && greenWeight < 100) {
            weights.put(blue, 100 - greenWeight);
        }
        weights.put(green, blue == null ? 100 : greenWeight);
        return weights;
    }

    /** The positive weights, in order, refused unless they sum to 100. */
    public static Map<String, Integer> checked(String route, Map<String, Integer> weights) {
        Map<String, Integer> positive = new LinkedHashMap<>();
        weights.forEach((endpoint, weight) -> {
            if (weight > 0) {
                positive.put(endpoint, weight);
            }
        });
        int sum = positive.values().stream().mapToInt(Integer::intValue).sum();
        if (sum != 100) {
            throw new IllegalArgumentException("weights of " + route + " must sum to 100, not " + sum + ": " + weights);
        }
        return positive;
    }
}
