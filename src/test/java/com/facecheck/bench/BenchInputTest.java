package com.facecheck.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.RequestParser;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.identity.PhotoCheck;
import com.facecheck.identity.RequestValidation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchInputTest {

    private static final BenchInput INPUT = new BenchInput();

    @Test
    void everyKindOfRequestIsOneTheWorkerAccepts() {
        RequestParser parser = new RequestParser(new KeyedHasher("bench-input-test-secret-0123456789".getBytes(StandardCharsets.UTF_8)));
        RequestValidation validation = new RequestValidation(new PhotoCheck(), Clock.systemUTC(), true);
        // The backlog's people and the latency runs' (from 1,000,000 on): both must be people the provider can check.
        for (long base : new long[]{0, 1_000_000, 1_800_000}) {
            for (long i = 0; i < 1_000; i++) {
                VerificationRequest request = parser.parse(INPUT.request(base, i));
                assertThat(validation.validate(request)).as("request %d from %d", i, base)
                        .isInstanceOf(RequestValidation.Accepted.class);
            }
        }
    }

    @Test
    void photosAreJustUnderFortyKilobytes() {
        assertThat(INPUT.photoBytes()).isBetween(30L * 1024, 40L * 1024);
    }

    @Test
    void theMixHasResentRequestsRepeatPeopleAndCapHits() {
        Set<String> ids = new HashSet<>();
        Map<Long, Integer> perPerson = new HashMap<>();
        int resent = 0;
        for (long i = 0; i < 10_000; i++) {
            if (!ids.add(BenchInput.requestId(0, i))) {
                resent++;
            }
            perPerson.merge(BenchInput.person(0, i), 1, Integer::sum);
        }
        assertThat(resent).isEqualTo(100);
        // One person per thousand tries 7 times: more than the 5 a day the provider allows per ID number.
        assertThat(perPerson.values().stream().filter(n -> n == 7).count()).isEqualTo(10);
        assertThat(perPerson.values().stream().filter(n -> n > 7).count()).isZero();
        // Upstream retries and second attempts: people with two requests.
        assertThat(perPerson.values().stream().filter(n -> n == 2).count()).isBetween(150L, 250L);
    }
}
