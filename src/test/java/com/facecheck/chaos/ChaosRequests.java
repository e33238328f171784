package com.facecheck.chaos;

import com.facecheck.contract.Outcome;
import com.facecheck.simulator.SimulatedIdentity;
import com.facecheck.testing.SamplePeople;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.Traffic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The requests of a chaos scenario, as upstream sends them: mostly one request per person, each with a name of its
 * own so that the simulator's calls per name are the calls per request; some sent twice (the same record again, as
 * a producer retry or an upstream resend makes); bursts of {@value #BURST} requests for one ID number under different
 * names, more than the per-ID cap admits; and one person the provider always fails, who ends on the retryable dead
 * letters.
 */
final class ChaosRequests {

    /** A valid photo of 120 × 150 pixels, small enough for thousands of requests in the short form's minutes. */
    static final String SMALL_PHOTO = TestImages.jpegBase64(120, 150);
    /** Requests per burst for one ID number: two more than the per-ID cap of 5. */
    static final int BURST = 7;
    /** One burst per this many requests. */
    private static final int BURST_EVERY = 500;
    /** One copy per this many requests. */
    private static final int COPY_EVERY = 100;

    /** The request id's end for the person the provider always fails. */
    private static final String ALWAYS_FAILS = "always-fails";

    /** What a request is to the promises: a request of its own, a copy of an earlier one, or one of a burst. */
    enum Kind { FRESH, COPY, BURST }

    /**
     * One record sent. Its bytes are made when it is sent, the photo shared: a soak of hours holds hundreds of
     * thousands of these.
     */
    record Sent(String requestId, String name, String idNumber, String image, Kind kind) {

        /** The record as upstream sends it; a copy's bytes are its original's. */
        byte[] value() {
            return Traffic.request(requestId, name, idNumber, image).getBytes(StandardCharsets.UTF_8);
        }
    }

    private ChaosRequests() {
    }

    /**
     * {@code count} records in sending order, ids {@code prefix}0…, people numbered from {@code firstPerson} (so
     * that scenarios sharing a simulator never share a person); copies follow their original at a random distance.
     */
    static List<Sent> mix(String prefix, int count, int firstPerson, String image, long seed) {
        Random random = new Random(seed);
        List<Sent> sent = new ArrayList<>(count);
        int person = firstPerson;
        SimulatedIdentity failing = SamplePeople.answering(Outcome.FAILED);
        sent.add(new Sent(prefix + ALWAYS_FAILS, failing.name(), failing.idNumber(), image, Kind.FRESH));
        while (sent.size() < count) {
            int n = sent.size();
            if (n % BURST_EVERY == BURST_EVERY / 2 && count - n >= BURST) {
                String idNumber = TestIds.idNumber(person++);
                for (int i = 0; i < BURST; i++) {
                    sent.add(new Sent(prefix + n + "-" + i, TestIds.name(person++), idNumber, image, Kind.BURST));
                }
            } else if (n % COPY_EVERY == COPY_EVERY - 1) {
                Sent original = sent.get(random.nextInt(n));
                sent.add(new Sent(original.requestId(), original.name(), original.idNumber(), original.image(),
                        Kind.COPY));
            } else {
                sent.add(new Sent(prefix + n, TestIds.name(person), TestIds.idNumber(person), image, Kind.FRESH));
                person++;
            }
        }
        return List.copyOf(sent);
    }

    /** Whether the request is for the person the provider always fails: a replay fails again, as it should. */
    static boolean alwaysFails(String requestId) {
        return requestId.endsWith(ALWAYS_FAILS);
    }

}
