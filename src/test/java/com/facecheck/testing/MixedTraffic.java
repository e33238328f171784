package com.facecheck.testing;

import com.facecheck.ops.OutputCollector;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatedIdentity;
import com.facecheck.topology.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests of every kind a running worker meets, for tests of what it shows about them (metrics, logs): every
 * person of the simulator's registry (verdicts 0–4, a throttled and a failed one, which are tried again and end on
 * the dead letters), unknown people, invalid names and ID numbers, a sixth request for one ID number within the day,
 * a duplicate, and input that is not a request but holds a name and an ID number.
 *
 * @param records      to send, in this order
 * @param results      how many results they make (all but the duplicate and the poison)
 * @param personalData raw names, ID numbers and a piece of the photo, which nothing the worker shows may contain
 */
public record MixedTraffic(List<byte[]> records, int results, List<String> personalData) {

    /** Enough requests for one ID number to reach the per-ID cap of 5. */
    private static final int CAPPED_ID_REQUESTS = 6;

    public static MixedTraffic of(String idPrefix) {
        String image = TestImages.jpegBase64(320, 400);
        List<String> requests = new ArrayList<>();
        List<String> personalData = new ArrayList<>(List.of(image.substring(1000, 1060)));
        List<SimulatedIdentity> registry = ProviderSimulator.defaultIdentities();
        for (SimulatedIdentity person : registry) {
            requests.add(Traffic.request(idPrefix + "registry-" + requests.size(), person.name(), person.idNumber(),
                    image));
            personalData.add(person.name());
            personalData.add(person.idNumber());
        }
        SimulatedIdentity capped = registry.get(0);
        for (int i = 1; i < CAPPED_ID_REQUESTS; i++) {
            requests.add(Traffic.request(idPrefix + "again-" + i, capped.name(), capped.idNumber(), image));
        }
        for (int i = 0; i < 3; i++) { // people the registry does not know: code 5
            requests.add(Traffic.request(idPrefix + "unknown-" + i, TestIds.name(90_000 + i),
                    TestIds.idNumber(90_000 + i), image));
            personalData.add(TestIds.name(90_000 + i));
            personalData.add(TestIds.idNumber(90_000 + i));
        }
        String digitName = "韩梅3";
        String badCheckCharacter = TestIds.idNumber(90_100).substring(0, 17) + "0";
        requests.add(Traffic.request(idPrefix + "bad-name", digitName, TestIds.idNumber(90_101), image));
        requests.add(Traffic.request(idPrefix + "bad-id", TestIds.name(90_102), badCheckCharacter, image));
        personalData.addAll(List.of(digitName, TestIds.idNumber(90_101), TestIds.name(90_102), badCheckCharacter));

        List<byte[]> records = new ArrayList<>();
        requests.forEach(json -> records.add(json.getBytes(StandardCharsets.UTF_8)));
        records.add(requests.get(0).getBytes(StandardCharsets.UTF_8)); // the same request id again
        // Not JSON: a parser's message would quote it.
        records.add((capped.name() + " " + capped.idNumber()).getBytes(StandardCharsets.UTF_8));
        return new MixedTraffic(List.copyOf(records), requests.size(), List.copyOf(personalData));
    }

    public void send(String bootstrap, TopicNames names) {
        Traffic.sendBytes(bootstrap, names.requests(), null, records);
    }

    /** Waits until every result is on its topic; fails saying how many came. */
    public void awaitResults(String bootstrap, TopicNames names, Duration within) {
        try (OutputCollector collector = new OutputCollector(bootstrap,
                names.results().values().stream().distinct().toList())) {
            long deadline = System.nanoTime() + within.toNanos();
            while (collector.records().size() < results && System.nanoTime() < deadline) {
                collector.poll(Duration.ofMillis(200));
            }
            if (collector.records().size() != results) {
                throw new AssertionError(results + " results expected within " + within + ", "
                        + collector.records().size() + " came");
            }
        }
    }
}
