package com.facecheck.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The circuit learns only from calls started since it last opened or closed. The chaos suite found it flapping:
 * calls started before a quota ran out came back during the outage (timeouts, slow answers), each closed the
 * circuit, and every waiting request was called only to be refused, 33 openings for two outages.
 */
class ProviderCircuitTest {

    private static final ProviderAnswer QUOTA =
            new ProviderAnswer.ProviderUnavailable("gateway HTTP 403: Quota Exhausted", null);
    private static final ProviderAnswer TIMED_OUT = new ProviderAnswer.TransientFailure("call failed before an answer"
            + " came back (TimeoutException)", Billing.UNKNOWN, null);
    private static final ProviderAnswer VERDICT = new ProviderAnswer.Verdict(Outcome.VERIFIED, true, "ok", null, null,
            null, null);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ProviderCircuit circuit = new ProviderCircuit(Duration.ofSeconds(30), meters);

    @Test
    void anAnswerToACallStartedBeforeTheOutageDoesNotCloseIt() {
        circuit.record(QUOTA, 1_000, 1_200);
        circuit.record(TIMED_OUT, 900, 11_000);
        circuit.record(VERDICT, 1_100, 12_000);

        assertThat(circuit.isOpen()).isTrue();
        assertThat(circuit.pass(12_000)).as("no probe before the interval is up").isNull();
        assertThat(openings()).isEqualTo(1);
    }

    @Test
    void theProbesAnswerClosesIt() {
        circuit.record(QUOTA, 1_000, 1_200);
        ProviderCircuit.Pass probe = circuit.pass(31_200);
        assertThat(probe).isNotNull();

        circuit.record(VERDICT, 31_200, 31_400);

        assertThat(circuit.isOpen()).isFalse();
        assertThat(circuit.pass(31_500)).isSameAs(ProviderCircuit.Pass.CLOSED);
    }

    @Test
    void aRefusalToACallStartedBeforeTheProviderCameBackDoesNotOpenItAgain() {
        circuit.record(QUOTA, 1_000, 1_200);
        circuit.record(VERDICT, 31_200, 31_400);

        circuit.record(QUOTA, 1_100, 32_000);

        assertThat(circuit.isOpen()).isFalse();
        assertThat(openings()).isEqualTo(1);
    }

    @Test
    void aStaleAnswerDoesNotFreeTheProbe() {
        circuit.record(QUOTA, 1_000, 1_200);
        assertThat(circuit.pass(31_200)).isNotNull();

        circuit.record(QUOTA, 1_100, 31_300);

        assertThat(circuit.probeDue(31_300)).as("the probe is still in flight").isFalse();
        assertThat(circuit.pass(31_300)).isNull();
    }

    @Test
    void aCallStartedAfterTheProviderCameBackOpensItAgain() {
        circuit.record(QUOTA, 1_000, 1_200);
        circuit.record(VERDICT, 31_200, 31_400);

        circuit.record(QUOTA, 40_000, 40_100);

        assertThat(circuit.isOpen()).isTrue();
        assertThat(openings()).isEqualTo(2);
    }

    private double openings() {
        return meters.get("facecheck.provider.unavailable").counter().count();
    }
}
