package com.facecheck.testing;

import com.facecheck.contract.Outcome;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatedIdentity;
import java.util.List;

/** People from the simulator's bundled registry, picked by the answer the simulator gives for them. */
public final class SamplePeople {

    private SamplePeople() {
    }

    public static SimulatedIdentity answering(Outcome outcome) {
        List<SimulatedIdentity> all = ProviderSimulator.defaultIdentities();
        return all.stream().filter(p -> p.answer() == outcome.code()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the registry has nobody answering " + outcome));
    }
}
