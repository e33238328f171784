package com.facecheck.simulator;

import com.facecheck.provider.AppCode;
import com.facecheck.provider.Billing;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.HttpProvider;
import com.facecheck.provider.ProviderAnswer;
import com.facecheck.provider.ProviderUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.facecheck.contract.Json;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.testing.SamplePeople;
import com.facecheck.testing.TestImages;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import com.facecheck.testing.CapturedLogs;
import com.facecheck.identity.Masking;
import java.nio.charset.StandardCharsets;

/** The simulator's limits, faults and admin endpoint, seen through the real client. */
class SimulatorBehaviourTest {

    private static final String IMAGE = TestImages.jpegBase64(320, 400);
    private static final AppCode APP_CODE = AppCode.of("simulator-test-code");

    private Vertx vertx;
    private ProviderSimulator simulator;
    private HttpProvider client;
    private int port;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        simulator = new ProviderSimulator(vertx, ProviderSimulator.Accounts.appCodeOnly(APP_CODE),
                ProviderSimulator.defaultIdentities());
        port = simulator.start(0);
        client = new HttpProvider(vertx, ProviderUrl.of("http://127.0.0.1:" + port), new Credentials.AppCodeAuth(APP_CODE),
                Duration.ofMillis(800), 16);
    }

    @AfterEach
    void stop() {
        client.close();
        simulator.close();
        vertx.close();
    }

    private ProviderAnswer verified() throws Exception {
        var person = SamplePeople.answering(Outcome.VERIFIED);
        return client.verify(new VerificationRequest("r", person.name(), person.idNumber(), IMAGE, null, null, null, null))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReferencePhotoDecidesTheFaceComparison() throws Exception {
        String onFile = TestImages.jpegBase64(320, 400);
        String other = TestImages.jpegBase64(330, 400);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(onFile)));
        var withPhoto = new SimulatedIdentity("吴敏", "35020319900101123X", 0, "福建省厦门市思明区", sha256, null, "reference photo");
        var noPhoto = new SimulatedIdentity("郑爽", "110101198505122040", 0, null, null, false, "no photo on file");
        try (var registry = new ProviderSimulator(vertx, ProviderSimulator.Accounts.appCodeOnly(APP_CODE), List.of(withPhoto, noPhoto));
             var registryClient = new HttpProvider(vertx, ProviderUrl.of("http://127.0.0.1:" + registry.start(0)),
                     new Credentials.AppCodeAuth(APP_CODE), Duration.ofSeconds(2), 4)) {
            assertThat(outcome(registryClient, withPhoto, onFile)).isEqualTo(Outcome.VERIFIED);
            assertThat(outcome(registryClient, withPhoto, other)).isEqualTo(Outcome.FACE_MISMATCH);
            assertThat(outcome(registryClient, noPhoto, onFile)).isEqualTo(Outcome.NO_PHOTO_ON_FILE);
        }
    }

    private static Outcome outcome(HttpProvider client, SimulatedIdentity person, String photo) throws Exception {
        var answer = client.verify(new VerificationRequest("r", person.name(), person.idNumber(), photo, null, null, null, null))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(answer).isInstanceOf(ProviderAnswer.Verdict.class);
        return ((ProviderAnswer.Verdict) answer).outcome();
    }

    @Test
    void thePerIdLimitAnswersErrorEightOnceSpent() throws Exception {
        simulator.behaviour(SimulatorBehaviour.wellBehaved().withLimits(0, 0, 2, 0));
        assertThat(verified()).isInstanceOf(ProviderAnswer.Verdict.class);
        assertThat(verified()).isInstanceOf(ProviderAnswer.Verdict.class);
        assertThat(verified()).isInstanceOf(ProviderAnswer.Throttled.class);
    }

    @Test
    void aSpentQuotaStopsBillingAndMakesTheProviderUnavailable() throws Exception {
        simulator.behaviour(SimulatorBehaviour.wellBehaved().withLimits(0, 1, 0, 0));
        assertThat(verified()).isInstanceOf(ProviderAnswer.Verdict.class);
        assertThat(verified()).isInstanceOfSatisfying(ProviderAnswer.ProviderUnavailable.class,
                u -> assertThat(u.message()).contains("Quota Exhausted"));
        assertThat(simulator.billedCalls()).isEqualTo(1);
    }

    @Test
    void flowControlThrottlesCallsOverTheRate() throws Exception {
        simulator.behaviour(SimulatorBehaviour.wellBehaved().withLimits(1, 0, 0, 0));
        var first = verified();
        var second = verified();
        // Both may straddle a second boundary; at least one of three in quick succession is throttled.
        var third = verified();
        assertThat(List.of(first, second, third)).hasAtLeastOneElementOfType(ProviderAnswer.Throttled.class);
    }

    @Test
    void everyFaultKindIsClassifiedAsATransientFailureBilledAsItsStatusSays() throws Exception {
        Map<SimulatorBehaviour, Billing> faults = new LinkedHashMap<>();
        faults.put(SimulatorBehaviour.wellBehaved().withFaults(1, 0, 0, 0), Billing.UNBILLED);
        faults.put(SimulatorBehaviour.wellBehaved().withFaults(0, 1, 0, 0), Billing.UNKNOWN);
        faults.put(SimulatorBehaviour.wellBehaved().withFaults(0, 0, 1, 0), Billing.UNKNOWN);
        faults.put(SimulatorBehaviour.wellBehaved().withFaults(0, 0, 0, 1), Billing.BILLED);
        for (var fault : faults.entrySet()) {
            simulator.behaviour(fault.getKey());
            assertThat(verified()).as(fault.getKey().toString()).isInstanceOfSatisfying(ProviderAnswer.TransientFailure.class,
                    f -> assertThat(f.billing()).isEqualTo(fault.getValue()));
        }
        assertThat(simulator.billedCalls()).as("the malformed answer's 200").isEqualTo(1);
    }

    @Test
    void aMalformedAnswerIsATwoHundredWithABodyThatIsNotJsonAndIsBilled() throws Exception {
        simulator.behaviour(SimulatorBehaviour.wellBehaved().withFaults(0, 0, 0, 1.0));
        var person = SamplePeople.answering(Outcome.VERIFIED);
        Map<String, String> form = Map.of("xm", person.name(), "sfz", person.idNumber(), "img", IMAGE);
        WebClient raw = WebClient.create(vertx);
        try {
            var request = raw.post(port, "127.0.0.1", "/facecheck");
            new Credentials.AppCodeAuth(APP_CODE).headers("POST", "/facecheck", form).forEach(request::putHeader);
            MultiMap body = MultiMap.caseInsensitiveMultiMap();
            form.forEach(body::add);
            var response = request.sendForm(body).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> Json.MAPPER.readTree(response.bodyAsString()))
                    .isInstanceOf(JsonProcessingException.class);
            assertThat(simulator.billedCalls()).isEqualTo(1);
            assertThat(simulator.notBilledCalls()).isZero();
        } finally {
            raw.close();
        }
    }

    @Test
    void callsInFlightAtOnceAreCountedUntilAnswered() throws Exception {
        simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(300));
        var person = SamplePeople.answering(Outcome.VERIFIED);
        List<CompletableFuture<ProviderAnswer>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(client.verify(new VerificationRequest("r" + i, person.name(), person.idNumber(), IMAGE, null, null,
                    null, null)).toCompletableFuture());
        }
        for (var call : calls) {
            assertThat(call.get(10, TimeUnit.SECONDS)).isInstanceOf(ProviderAnswer.Verdict.class);
        }
        assertThat(verified()).isInstanceOf(ProviderAnswer.Verdict.class);
        assertThat(simulator.maxCallsInFlight()).isEqualTo(5);
    }

    @Test
    void latencyIsAddedAndBehaviourChangesOverTheAdminEndpoint() throws Exception {
        WebClient admin = WebClient.create(vertx);
        var changed = admin.put(port, "127.0.0.1", "/admin/behaviour")
                .sendBuffer(Buffer.buffer("{\"latencyMillis\":300}")).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(changed.statusCode()).isEqualTo(200);
        long started = System.nanoTime();
        assertThat(verified()).isInstanceOf(ProviderAnswer.Verdict.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        var refused = admin.put(port, "127.0.0.1", "/admin/behaviour")
                .sendBuffer(Buffer.buffer("{\"timeoutRate\":2}")).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(400);
        var counters = admin.get(port, "127.0.0.1", "/admin/counters").send().toCompletionStage()
                .toCompletableFuture().get(5, TimeUnit.SECONDS).bodyAsJsonObject();
        assertThat(counters.getLong("billed")).isEqualTo(1L);
        assertThat(counters.getInteger("maxCallsInFlight")).isEqualTo(1);
        admin.close();
    }

    @Test
    void aMisspeltSettingIsRefusedNamingItAndTheSettingsThatExist() throws Exception {
        WebClient admin = WebClient.create(vertx);
        var refused = admin.put(port, "127.0.0.1", "/admin/behaviour")
                .sendBuffer(Buffer.buffer("{\"timeoutRates\":0.5}")).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        admin.close();

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.bodyAsString()).contains("no such setting: timeoutRates").contains("timeoutRate");
        assertThatThrownBy(() -> SimulatorBehaviour.changed(SimulatorBehaviour.wellBehaved(), "{\"quota\":\"lots\"}"))
                .hasMessage("quota must be a number");
        assertThat(SimulatorBehaviour.changed(SimulatorBehaviour.wellBehaved(), "{\"quota\":3}").quota()).isEqualTo(3);
    }

    @Test
    void aPhotoThatIsNotAPictureIsNeverVerified() throws Exception {
        var person = SamplePeople.answering(Outcome.VERIFIED);
        String notAPicture = Base64.getEncoder().encodeToString("this is not a picture at all".getBytes(
                StandardCharsets.UTF_8));
        ProviderAnswer answer = client.verify(new VerificationRequest("r", person.name(), person.idNumber(),
                notAPicture, null, null, null, null)).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(answer).isInstanceOfSatisfying(ProviderAnswer.Verdict.class, verdict -> {
            assertThat(verdict.outcome()).isEqualTo(Outcome.PHOTO_UNUSABLE);
            assertThat(verdict.message()).isEqualTo("BASE64人像图片错误：无法处理图片信息");
        });
    }

    @Test
    void eachCallIsLoggedOnOneLineWithThePersonMasked() throws Exception {
        simulator.logCalls(true);
        var person = SamplePeople.answering(Outcome.VERIFIED);
        try (CapturedLogs logs = new CapturedLogs()) {
            verified();
            assertThat(logs.text().lines().filter(line -> line.contains("call for"))).singleElement()
                    .satisfies(line -> assertThat(line).contains("HTTP 200").contains("error 0")
                            .contains(Masking.idNumber(person.idNumber())).doesNotContain(person.idNumber())
                            .doesNotContain(person.name()));
        }
    }
}
