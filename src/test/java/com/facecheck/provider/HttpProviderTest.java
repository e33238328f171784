package com.facecheck.provider;

import com.facecheck.simulator.ProviderSimulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.testing.CapturedLogs;
import com.facecheck.testing.SamplePeople;
import com.facecheck.testing.TestImages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against the simulator and against canned gateway answers, over real HTTP on loopback. */
class HttpProviderTest {

    private static final String IMAGE = TestImages.jpegBase64(320, 400);
    private static final AppCode APP_CODE = AppCode.of("provider-test-appcode");
    private static final Credentials AUTH = new Credentials.AppCodeAuth(APP_CODE);
    private static final String APP_KEY = "204000001";
    private static final String APP_SECRET = "provider-test-app-secret";
    /** A gateway message no row of the contract's table names: what its "any other" stands for. */
    private static final String UNLISTED = "A Message No Row Names";

    private static Vertx vertx;
    private static ProviderSimulator simulator;
    private static int simulatorPort;
    private static HttpProvider provider;
    /** What the canned gateway answers next: status, error code header, message header, body. */
    private static final AtomicReference<String[]> canned = new AtomicReference<>();
    private static HttpServer gateway;
    private static HttpProvider viaGateway;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        simulator = new ProviderSimulator(vertx, new ProviderSimulator.Accounts(APP_CODE, APP_KEY, APP_SECRET),
                ProviderSimulator.defaultIdentities());
        simulatorPort = simulator.start(0);
        provider = new HttpProvider(vertx, ProviderUrl.of("http://127.0.0.1:" + simulatorPort), AUTH, Duration.ofSeconds(5), 8);
        gateway = vertx.createHttpServer().requestHandler(req -> {
            String[] answer = canned.get();
            var response = req.response().setStatusCode(Integer.parseInt(answer[0]));
            if (answer[1] != null) {
                response.putHeader("X-Ca-Error-Code", answer[1]);
            }
            if (answer[2] != null) {
                response.putHeader("X-Ca-Error-Message", answer[2]);
            }
            response.putHeader("X-Ca-Request-Id", "gw-req-1").end(answer[3] == null ? "" : answer[3]);
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        viaGateway = new HttpProvider(vertx, ProviderUrl.of("http://127.0.0.1:" + gateway.actualPort()), AUTH,
                Duration.ofSeconds(5), 8);
    }

    @AfterAll
    static void stop() {
        provider.close();
        viaGateway.close();
        simulator.close();
        vertx.close();
    }

    private static ProviderAnswer call(HttpProvider client, String name, String id) throws Exception {
        return client.verify(new VerificationRequest("r", name, id, IMAGE, null, null, null, null))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ProviderAnswer gatewaySays(String status, String code, String message, String body) throws Exception {
        canned.set(new String[] {status, code, message, body});
        return call(viaGateway, "李三", "35020319900101123X");
    }

    @Test
    void verdictsZeroToFourAreBilledWithThePersonsDetails() throws Exception {
        for (Outcome outcome : new Outcome[] {Outcome.VERIFIED, Outcome.FACE_MISMATCH, Outcome.INCONCLUSIVE,
                Outcome.NO_PHOTO_ON_FILE, Outcome.PHOTO_UNUSABLE}) {
            var person = SamplePeople.answering(outcome);
            var answer = call(provider, person.name(), person.idNumber());
            assertThat(answer).isInstanceOfSatisfying(ProviderAnswer.Verdict.class, v -> {
                assertThat(v.outcome()).isEqualTo(outcome);
                assertThat(v.billing()).isEqualTo(Billing.BILLED);
                assertThat(v.match()).isEqualTo(outcome == Outcome.VERIFIED);
                assertThat(v.birthday()).matches("\\d{4}-\\d{2}-\\d{2}");
                assertThat(v.providerRequestId()).isNotBlank();
            });
        }
    }

    @Test
    void aPhotoNearTheProvidersSizeLimitGetsThroughWhileALargerOneIsRefused() throws Exception {
        var person = SamplePeople.answering(Outcome.VERIFIED);
        String nearLimit = "/9j/" + "A".repeat(100 * 1024 - 10);
        assertThat(provider.verify(new VerificationRequest("r", person.name(), person.idNumber(), nearLimit, null, null, null, null))
                .toCompletableFuture().get(10, TimeUnit.SECONDS)).isInstanceOf(ProviderAnswer.Verdict.class);
        String overLimit = nearLimit + "A".repeat(20);
        assertThat(provider.verify(new VerificationRequest("r", person.name(), person.idNumber(), overLimit, null, null, null, null))
                .toCompletableFuture().get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ProviderAnswer.Refused.class,
                r -> assertThat(r.message()).isEqualTo("传入人像图片img字符串长度超限"));
    }

    @Test
    void unknownIdAndWrongNameAreVerdictsToo() throws Exception {
        var known = SamplePeople.answering(Outcome.VERIFIED);
        assertThat(call(provider, known.name(), "350203199001019995"))
                .isInstanceOfSatisfying(ProviderAnswer.Verdict.class, v -> assertThat(v.outcome()).isEqualTo(Outcome.ID_NOT_FOUND));
        assertThat(call(provider, "王五", known.idNumber()))
                .isInstanceOfSatisfying(ProviderAnswer.Verdict.class, v -> assertThat(v.outcome()).isEqualTo(Outcome.NAME_MISMATCH));
    }

    @Test
    void theProvidersOwnRefusalsAreNotBilledAndKeepItsWording() throws Exception {
        long notBilledBefore = simulator.notBilledCalls();
        long billedBefore = simulator.billedCalls();
        assertThat(call(provider, "测试*", "35020319900101123X")).isInstanceOfSatisfying(ProviderAnswer.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo("provider-refused");
            assertThat(r.message()).isEqualTo("存在*字符，视为调试数据。止于当前结果。");
            assertThat(r.billing()).as("HTTP 666").isEqualTo(Billing.UNBILLED);
        });
        assertThat(call(provider, "李三", "350203199001011230"))
                .isInstanceOfSatisfying(ProviderAnswer.Refused.class, r -> assertThat(r.message()).isEqualTo("错误的身份证号码"));
        assertThat(simulator.notBilledCalls()).isEqualTo(notBilledBefore + 2);
        assertThat(simulator.billedCalls()).isEqualTo(billedBefore);
    }

    @Test
    void providerErrorEightIsThrottlingAndNineATransientFailure() throws Exception {
        var eight = SamplePeople.answering(Outcome.THROTTLED);
        var nine = SamplePeople.answering(Outcome.FAILED);
        assertThat(call(provider, eight.name(), eight.idNumber())).isInstanceOf(ProviderAnswer.Throttled.class);
        assertThat(call(provider, nine.name(), nine.idNumber())).isInstanceOf(ProviderAnswer.TransientFailure.class);
    }

    @Test
    void aWrongAppCodeMakesTheProviderUnavailableWithoutLeakingTheCode() throws Exception {
        try (var wrong = new HttpProvider(vertx, ProviderUrl.of("http://127.0.0.1:" + simulatorPort), new Credentials.AppCodeAuth(AppCode.of("wrong-code-xyz")),
                Duration.ofSeconds(5), 2)) {
            var answer = call(wrong, "李三", "35020319900101123X");
            assertThat(answer).isInstanceOfSatisfying(ProviderAnswer.ProviderUnavailable.class, u ->
                    assertThat(u.message()).contains("Invalid AppCode").doesNotContain("wrong-code-xyz"));
        }
    }

    @Test
    void theSignatureModeIsCheckedForRealByTheSimulatedGateway() throws Exception {
        var person = SamplePeople.answering(Outcome.VERIFIED);
        ProviderUrl url = ProviderUrl.of("http://127.0.0.1:" + simulatorPort);
        try (var signed = new HttpProvider(vertx, url, new Credentials.SignatureAuth(APP_KEY, APP_SECRET), Duration.ofSeconds(5), 2);
             var badSecret = new HttpProvider(vertx, url, new Credentials.SignatureAuth(APP_KEY, "not-the-secret"), Duration.ofSeconds(5), 2);
             var badKey = new HttpProvider(vertx, url, new Credentials.SignatureAuth("999", APP_SECRET), Duration.ofSeconds(5), 2)) {
            assertThat(call(signed, person.name(), person.idNumber()))
                    .isInstanceOfSatisfying(ProviderAnswer.Verdict.class, v -> assertThat(v.outcome()).isEqualTo(Outcome.VERIFIED));
            // The gateway's answer echoes the string to sign, with the name, ID number and photo: none may survive.
            assertThat(call(badSecret, person.name(), person.idNumber()))
                    .isInstanceOfSatisfying(ProviderAnswer.ProviderUnavailable.class, u -> assertThat(u.message())
                            .contains("Invalid Signature").doesNotContain(person.idNumber()).doesNotContain(person.name())
                            .doesNotContain(IMAGE.substring(0, 20)).doesNotContain("not-the-secret"));
            assertThat(call(badKey, person.name(), person.idNumber()))
                    .isInstanceOfSatisfying(ProviderAnswer.ProviderUnavailable.class, u -> assertThat(u.message()).contains("Invalid AppKey"));
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedNeverTrustedBlindly() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
        HttpServer tls = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(certificate.keyCertOptions()))
                .requestHandler(req -> req.response().end("{\"ok\":1,\"error\":0,\"match\":true}"))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (var client = new HttpProvider(vertx, ProviderUrl.of("https://localhost:" + tls.actualPort()), AUTH,
                Duration.ofSeconds(5), 2)) {
            // The provider vendor's sample code turns verification off; a self-signed certificate must fail.
            assertThat(call(client, "李三", "35020319900101123X")).isInstanceOfSatisfying(ProviderAnswer.TransientFailure.class,
                    f -> {
                        assertThat(f.message()).containsAnyOf("SSL", "Certificate", "certificate", "PKIX");
                        assertThat(f.billing()).as("no TLS session, no request").isEqualTo(Billing.UNBILLED);
                    });
        } finally {
            tls.close();
            certificate.delete();
        }
    }

    @Test
    void aRefusedConnectionIsATransientFailureAndNotBilled() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (var nowhere = new HttpProvider(vertx, ProviderUrl.of("http://127.0.0.1:" + closedPort), AUTH, Duration.ofSeconds(2), 2)) {
            assertThat(call(nowhere, "李三", "35020319900101123X")).isInstanceOfSatisfying(ProviderAnswer.TransientFailure.class,
                    f -> assertThat(f.billing()).isEqualTo(Billing.UNBILLED));
        }
    }

    @Test
    void aConnectThatTimesOutIsNotBilled() throws Exception {
        // A listening socket that never accepts: once its backlog is full, the kernel ignores further connects.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            boolean hangs = false;
            for (int i = 0; i < 8 && !hangs; i++) {
                Socket socket = new Socket();
                queued.add(socket);
                try {
                    socket.connect(full.getLocalSocketAddress(), 300);
                } catch (SocketTimeoutException e) {
                    hangs = true;
                }
            }
            assumeTrue(hangs, "this system refuses or accepts connects to a full backlog instead of letting them hang");
            try (var slow = new HttpProvider(vertx, ProviderUrl.of("http://127.0.0.1:" + full.getLocalPort()), AUTH,
                    Duration.ofMillis(500), 2)) {
                assertThat(call(slow, "李三", "35020319900101123X")).isInstanceOfSatisfying(
                        ProviderAnswer.TransientFailure.class, f -> {
                            assertThat(f.message()).contains("ConnectTimeoutException");
                            assertThat(f.billing()).isEqualTo(Billing.UNBILLED);
                        });
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aServerThatTakesTheRequestAndNeverAnswersMayHaveBilledIt() throws Exception {
        HttpServer silent = vertx.createHttpServer().requestHandler(req -> { })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (var client = new HttpProvider(vertx, ProviderUrl.of("http://127.0.0.1:" + silent.actualPort()), AUTH,
                Duration.ofMillis(300), 2)) {
            assertThat(call(client, "李三", "35020319900101123X")).isInstanceOfSatisfying(
                    ProviderAnswer.TransientFailure.class, f -> {
                        assertThat(f.message()).contains("TimeoutException");
                        assertThat(f.billing()).isEqualTo(Billing.UNKNOWN);
                    });
        } finally {
            silent.close();
        }
    }

    @Test
    void aConnectionClosedMidCallMayHaveBeenBilled() throws Exception {
        HttpServer hangsUp = vertx.createHttpServer().requestHandler(req -> req.connection().close())
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        // The status came back, the body did not: the client cannot see the 200, so it cannot say "billed".
        NetServer cutShort = vertx.createNetServer().connectHandler(socket -> socket.handler(request -> socket
                        .write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"ok\":1").onComplete(written -> socket.close())))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (var first = new HttpProvider(vertx, ProviderUrl.of("http://127.0.0.1:" + hangsUp.actualPort()), AUTH,
                Duration.ofSeconds(5), 2);
             var second = new HttpProvider(vertx, ProviderUrl.of("http://127.0.0.1:" + cutShort.actualPort()), AUTH,
                     Duration.ofSeconds(5), 2)) {
            for (HttpProvider client : List.of(first, second)) {
                assertThat(call(client, "李三", "35020319900101123X")).isInstanceOfSatisfying(
                        ProviderAnswer.TransientFailure.class, f -> assertThat(f.billing()).isEqualTo(Billing.UNKNOWN));
            }
        } finally {
            hangsUp.close();
            cutShort.close();
        }
    }

    @Test
    void onlyFailuresBeforeTheRequestCouldLeaveAreKnownToBeFree() {
        assertThat(HttpProvider.billingOf(new ConnectException("Connection refused"))).isEqualTo(Billing.UNBILLED);
        assertThat(HttpProvider.billingOf(new ConnectTimeoutException("connection timed out"))).isEqualTo(Billing.UNBILLED);
        assertThat(HttpProvider.billingOf(new NoRouteToHostException("No route to host"))).isEqualTo(Billing.UNBILLED);
        assertThat(HttpProvider.billingOf(new UnknownHostException("Failed to resolve 'nowhere.invalid'")))
                .isEqualTo(Billing.UNBILLED);
        assertThat(HttpProvider.billingOf(new SSLHandshakeException("Failed to create SSL connection")))
                .isEqualTo(Billing.UNBILLED);
        assertThat(HttpProvider.billingOf(new IllegalStateException("wrapped", new ConnectException("refused"))))
                .isEqualTo(Billing.UNBILLED);
        // The pool's timeout comes both while waiting for a connection and while waiting for the answer.
        assertThat(HttpProvider.billingOf(new NoStackTraceTimeoutException("The timeout period of 300ms has been"
                + " exceeded while executing POST /facecheck"))).isEqualTo(Billing.UNKNOWN);
        assertThat(HttpProvider.billingOf(new HttpClosedException("Connection was closed"))).isEqualTo(Billing.UNKNOWN);
        assertThat(HttpProvider.billingOf(new SocketException("Connection reset"))).isEqualTo(Billing.UNKNOWN);
        assertThat(HttpProvider.billingOf(new IllegalStateException("anything else"))).isEqualTo(Billing.UNKNOWN);
    }

    @Test
    void gatewayThrottlingIsRecognisedBy403Or429() throws Exception {
        assertThat(gatewaySays("403", "A403TH", "Throttled by APP Flow Control", null)).isInstanceOf(ProviderAnswer.Throttled.class);
        assertThat(gatewaySays("429", "T429AP", "Throttled by API Flow Control", null)).isInstanceOf(ProviderAnswer.Throttled.class);
    }

    @Test
    void quotaCredentialAndSubscriptionProblemsStopCalling() throws Exception {
        for (String message : new String[] {"Quota Exhausted", "Api Market Subscription quota exhausted", "Quota Expired",
                "User Arrears", "Unauthorized", "Invalid AppCode `not exists`", "Expiry of Authorization"}) {
            assertThat(gatewaySays("403", "X403", message, null)).as(message)
                    .isInstanceOf(ProviderAnswer.ProviderUnavailable.class)
                    .extracting(ProviderAnswer::billing).isEqualTo(Billing.UNBILLED);
        }
    }

    @Test
    void aSignatureEchoIsRedactedFromTheReason() throws Exception {
        var answer = gatewaySays("400", "I400IS",
                "Invalid Signature, Server StringToSign:POST#application/json###/facecheck?img=/9j/4AAQ&sfz=35020319900101123X&xm=李三", null);
        assertThat(answer).isInstanceOfSatisfying(ProviderAnswer.ProviderUnavailable.class, u -> assertThat(u.message())
                .contains("Invalid Signature").doesNotContain("35020319900101123X").doesNotContain("李三").doesNotContain("/9j/"));
    }

    @Test
    void serverErrorsAndUnreadableAnswersAreTransientAndKeepTheRequestId() throws Exception {
        assertThat(gatewaySays("503", "X503SU", "Service Unavailable", null))
                .isInstanceOfSatisfying(ProviderAnswer.TransientFailure.class, f -> {
                    assertThat(f.providerRequestId()).isEqualTo("gw-req-1");
                    assertThat(f.billing()).isEqualTo(Billing.UNBILLED);
                });
        assertThat(gatewaySays("504", "D504TO", "Backend service request timeout", null)).isInstanceOf(ProviderAnswer.TransientFailure.class);
        assertThat(gatewaySays("200", null, null, "<html>oops 35020319900101123X</html>"))
                .isInstanceOfSatisfying(ProviderAnswer.TransientFailure.class, f ->
                        assertThat(f.message()).contains("not a JSON object").doesNotContain("35020319900101123X"));
        assertThat(gatewaySays("200", null, null, "{\"ok\":1,\"error\":42}")).isInstanceOf(ProviderAnswer.TransientFailure.class);
    }

    @Test
    void everyTwoHundredIsBilledWhateverItsBodySays() throws Exception {
        assertThat(gatewaySays("200", null, null, "{\"ok\":1,\"msg\":\"身份证号与姓"))
                .isInstanceOfSatisfying(ProviderAnswer.TransientFailure.class, f -> {
                    assertThat(f.message()).contains("HTTP 200").contains("not a JSON object");
                    assertThat(f.billing()).isEqualTo(Billing.BILLED);
                });
        assertThat(gatewaySays("200", null, null, "{\"ok\":1,\"error\":42}")).extracting(ProviderAnswer::billing)
                .isEqualTo(Billing.BILLED);
        assertThat(gatewaySays("200", null, null, "{\"ok\":0,\"msg\":\"错误的身份证号码key\"}"))
                .isInstanceOfSatisfying(ProviderAnswer.Refused.class, r -> assertThat(r.billing())
                        .as("the provider's refusals come with 666; one with 200 is billed").isEqualTo(Billing.BILLED));
        assertThat(gatewaySays("200", null, null, "{\"ok\":0,\"error\":8,\"msg\":\"查询过于频繁\"}"))
                .isInstanceOfSatisfying(ProviderAnswer.Throttled.class, t -> assertThat(t.billing()).isEqualTo(Billing.BILLED));
        assertThat(gatewaySays("204", null, null, null)).isInstanceOfSatisfying(ProviderAnswer.TransientFailure.class,
                f -> assertThat(f.billing()).isEqualTo(Billing.BILLED));
        assertThat(gatewaySays("302", null, null, null)).extracting(ProviderAnswer::billing).isEqualTo(Billing.UNBILLED);
    }

    @Test
    void anOversizedBodyIsRefusedAsTooLarge() throws Exception {
        assertThat(gatewaySays("413", "I413RL", "Request body too Large", null))
                .isInstanceOfSatisfying(ProviderAnswer.Refused.class, r -> assertThat(r.reason()).isEqualTo("image-too-large"));
    }

    @Test
    void aBodyTheGatewayCannotReadIsARefusalOfThatRequestOnly() throws Exception {
        assertThat(gatewaySays("400", "I400RB", "Invalid Request Body", null)).isInstanceOfSatisfying(ProviderAnswer.Refused.class,
                r -> assertThat(r.reason()).isEqualTo("gateway-rejected-request"));
    }

    @Test
    void configurationErrorsStopCallingInsteadOfBeingRetried() throws Exception {
        assertThat(gatewaySays("400", "I400PL", "Invalid Param Location", null)).isInstanceOf(ProviderAnswer.ProviderUnavailable.class);
        assertThat(gatewaySays("404", "I404NF", "Invalid Url", null)).isInstanceOfSatisfying(ProviderAnswer.ProviderUnavailable.class,
                u -> assertThat(u.message()).contains("404").contains("Invalid Url"));
        assertThat(gatewaySays("400", "I400HM", "Invalid HttpMethod", null)).isInstanceOf(ProviderAnswer.ProviderUnavailable.class);
        assertThat(gatewaySays("400", "I400EB", "Empty Request Body", null)).isInstanceOf(ProviderAnswer.ProviderUnavailable.class);
        // Unknown to this worker: stopping with an alert costs a pause; retrying would cost every request its retries.
        assertThat(gatewaySays("418", "X418ZZ", "A Message Never Seen Before", null)).isInstanceOf(ProviderAnswer.ProviderUnavailable.class);
        // Not the gateway at all, e.g. a web server at a wrong provider URL.
        assertThat(gatewaySays("404", null, null, "<html>Not Found</html>")).isInstanceOfSatisfying(
                ProviderAnswer.ProviderUnavailable.class, u -> assertThat(u.message()).contains("HTTP 404").contains("Not Found"));
    }

    @Test
    void theAlertForAConfigurationErrorNamesTheGatewaysMessageRedacted() throws Exception {
        try (CapturedLogs logs = new CapturedLogs()) {
            var circuit = new ProviderCircuit(Duration.ofSeconds(30), new SimpleMeterRegistry());
            circuit.record(gatewaySays("404", "I404NF", "Invalid Url", null), 0, 0);
            assertThat(circuit.isOpen()).isTrue();
            assertThat(logs.text()).containsPattern("ALERT provider unavailable \\(gateway HTTP 404 I404NF: Invalid Url\\)");

            var signing = new ProviderCircuit(Duration.ofSeconds(30), new SimpleMeterRegistry());
            signing.record(gatewaySays("400", "I400IS",
                    "Invalid Signature, Server StringToSign:POST#/facecheck?img=/9j/4AAQ&sfz=35020319900101123X&xm=李三", null), 0, 0);
            assertThat(logs.text()).contains("ALERT provider unavailable (gateway HTTP 400 I400IS: Invalid Signature")
                    .doesNotContain("35020319900101123X").doesNotContain("李三").doesNotContain("/9j/");
        }
    }

    /**
     * docs/contracts.md, "Gateway answers": every row, for every status it names, is put to the client over HTTP
     * (with the gateway's headers or without, as the row says) and must get the answer the row says.
     */
    @Test
    void everyRowOfTheContractsGatewayTableIsHowTheClientClassifies() throws Exception {
        String doc = Files.readString(Path.of("docs", "contracts.md"));
        int start = doc.indexOf("## Gateway answers");
        assertThat(start).isNotNegative();
        int end = doc.indexOf("\n## ", start + 1);
        String section = doc.substring(start, end < 0 ? doc.length() : end);
        Matcher row = Pattern.compile("(?m)^\\| ([0-9–, ]+) \\| (gateway|not the gateway|either) \\| (.+?) \\| `(\\w+)` \\| (.+) \\|$")
                .matcher(section);
        int rows = 0;
        while (row.find()) {
            rows++;
            String message = tableMessage(row.group(3));
            List<Boolean> fromGateway = switch (row.group(2)) {
                case "gateway" -> List.of(true);
                case "not the gateway" -> List.of(false);
                default -> List.of(true, false);
            };
            for (int status : tableStatuses(row.group(1))) {
                for (boolean gatewayMade : fromGateway) {
                    assertThat(gatewayMade || message == null).as("a message without the gateway: " + row.group()).isTrue();
                    ProviderAnswer answer = gatewayMade
                            ? gatewaySays(Integer.toString(status), "X" + status + "XX", message == null ? UNLISTED : message, null)
                            : gatewaySays(Integer.toString(status), null, null, "<html>" + status + "</html>");
                    assertThat(answer.getClass().getSimpleName()).as(status + (gatewayMade ? " from the gateway: " : ": ")
                            + row.group()).isEqualTo(row.group(4));
                    assertThat(answer.billing()).as("not a 2xx: " + row.group()).isEqualTo(Billing.UNBILLED);
                    if (answer instanceof ProviderAnswer.Refused refused) {
                        assertThat(row.group(5)).as(row.group()).contains("`" + refused.reason() + "`");
                    }
                }
            }
        }
        long tableLines = section.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| status ")).count();
        assertThat(rows).as("rows read, of the table's rows").isEqualTo(tableLines).isGreaterThan(0);
    }

    /** The exact message in a code span (a double-backtick one when it holds backticks), or null for "any". */
    private static String tableMessage(String cell) {
        if (cell.equals("any") || cell.equals("any other")) {
            return null;
        }
        Matcher code = Pattern.compile("``\\s(.+)\\s``|`([^`]+)`").matcher(cell);
        assertThat(code.matches()).as("a message cell: " + cell).isTrue();
        return code.group(1) != null ? code.group(1) : code.group(2);
    }

    /** "400, 404" or "400–407, 409–412": every status named. */
    private static List<Integer> tableStatuses(String cell) {
        List<Integer> statuses = new ArrayList<>();
        for (String item : cell.split(",\\s*")) {
            String[] range = item.strip().split("–");
            for (int status = Integer.parseInt(range[0]); status <= Integer.parseInt(range[range.length - 1]); status++) {
                statuses.add(status);
            }
        }
        return statuses;
    }
}
