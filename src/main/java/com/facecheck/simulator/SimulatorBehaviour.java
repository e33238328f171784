package com.facecheck.simulator;

import com.facecheck.contract.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the simulator misbehaves, switchable at run time over {@code PUT /admin/behaviour}: added latency with an
 * optional long tail, faults at given rates, gateway flow control, a quota and the provider's 24-hour limits.
 * Rates are fractions 0–1 of calls; a zero or negative limit means none.
 *
 * @param latencyMillis   added to every answer
 * @param tailRate        fraction of answers that take {@code tailMillis} more (a long tail)
 * @param serverErrorRate answered by the gateway with 500/503/504
 * @param timeoutRate     never answered: the client must time out
 * @param resetRate       the connection is closed without an answer
 * @param malformedRate   HTTP 200, billed, with a body cut short: not JSON
 * @param callsPerSecond  gateway flow control: calls over this in a second get {@code Throttled by API Flow Control}
 * @param quota           billed calls the subscription has left in all; then {@code Quota Exhausted}
 * @param perIdDaily      provider limit of calls for one ID number in 24 h; then error 8
 * @param perNameDaily    provider limit of calls for one name in 24 h; then error 8
 */
public record SimulatorBehaviour(long latencyMillis, double tailRate, long tailMillis, double serverErrorRate,
                                 double timeoutRate, double resetRate, double malformedRate, int callsPerSecond,
                                 long quota, int perIdDaily, int perNameDaily) {

    public SimulatorBehaviour {
        requireRate("tailRate", tailRate);
        requireRate("serverErrorRate", serverErrorRate);
        requireRate("timeoutRate", timeoutRate);
        requireRate("resetRate", resetRate);
        requireRate("malformedRate", malformedRate);
        if (serverErrorRate + timeoutRate + resetRate + malformedRate > 1.0) {
            throw new IllegalArgumentException("the fault rates add up to more than 1");
        }
        if (latencyMillis < 0 || tailMillis < 0) {
            throw new IllegalArgumentException("latencies cannot be negative");
        }
    }

    /** The setting names, as JSON spells them. */
    public static final List<String> SETTINGS = Arrays.stream(SimulatorBehaviour.class.getRecordComponents())
            .map(component -> component.getName()).toList();

    /**
     * {@code base} with the settings given in {@code json} changed: a JSON object of some of {@link #SETTINGS}.
     * A setting that does not exist is refused rather than ignored, since a misspelt fault rate would otherwise
     * leave a test or load run without the faults it was meant to have.
     *
     * @throws IllegalArgumentException saying which setting is wrong and why, without quoting the input
     */
    public static SimulatorBehaviour changed(SimulatorBehaviour base, String json) {
        JsonNode changes;
        try {
            changes = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (changes == null || !changes.isObject()) {
            throw new IllegalArgumentException("not a JSON object of settings; the settings are "
                    + String.join(", ", SETTINGS));
        }
        List<String> unknown = new ArrayList<>();
        changes.fieldNames().forEachRemaining(name -> {
            if (!SETTINGS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no such setting: " + String.join(", ", unknown) + "; the settings are "
                    + String.join(", ", SETTINGS));
        }
        ObjectNode merged = Json.MAPPER.valueToTree(base);
        changes.fields().forEachRemaining(field -> {
            if (!field.getValue().isNumber()) {
                throw new IllegalArgumentException(field.getKey() + " must be a number");
            }
            merged.set(field.getKey(), field.getValue());
        });
        try {
            return Json.MAPPER.treeToValue(merged, SimulatorBehaviour.class);
        } catch (JsonProcessingException e) {
            // The record's own checks (rates 0–1, no negative latency) arrive wrapped.
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new IllegalArgumentException(cause instanceof IllegalArgumentException ? cause.getMessage()
                    : "a setting has a value of the wrong kind (" + e.getOriginalMessage() + ")");
        }
    }

    /** A well-behaved provider: instant, no faults, no limits. */
    public static SimulatorBehaviour wellBehaved() {
        return new SimulatorBehaviour(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public SimulatorBehaviour withLatency(long millis) {
        return new SimulatorBehaviour(millis, tailRate, tailMillis, serverErrorRate, timeoutRate, resetRate,
                malformedRate, callsPerSecond, quota, perIdDaily, perNameDaily);
    }

    public SimulatorBehaviour withFaults(double serverErrors, double timeouts, double resets, double malformed) {
        return new SimulatorBehaviour(latencyMillis, tailRate, tailMillis, serverErrors, timeouts, resets, malformed,
                callsPerSecond, quota, perIdDaily, perNameDaily);
    }

    public SimulatorBehaviour withLimits(int perSecond, long quotaLeft, int perId, int perName) {
        return new SimulatorBehaviour(latencyMillis, tailRate, tailMillis, serverErrorRate, timeoutRate, resetRate,
                malformedRate, perSecond, quotaLeft, perId, perName);
    }

    private static void requireRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, not " + rate);
        }
    }
}
