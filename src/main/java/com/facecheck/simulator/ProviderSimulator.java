package com.facecheck.simulator;

import com.facecheck.provider.AppCode;
import com.facecheck.provider.Billing;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.HttpProvider;
import com.facecheck.contract.Json;
import com.facecheck.contract.Outcome;
import com.facecheck.identity.CheckCharacter;
import com.facecheck.identity.Masking;
import com.facecheck.identity.PhotoUrls;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for the gateway and provider, for the demo, the tests and benchmarks: same endpoint, same
 * form fields, same statuses and JSON, answers from a deterministic registry of synthetic identities.
 * Never used against real people's data.
 */
public final class ProviderSimulator implements AutoCloseable {

    /** The registry bundled with the product; its identities are synthetic. */
    public static final String DEFAULT_REGISTRY = "/simulator/identities.json";

    private static final Logger LOG = LoggerFactory.getLogger(ProviderSimulator.class);
    /** The provider's words for base64 data that is not a picture (answered with error 4, billed). */
    private static final Pattern ERROR_CODE = Pattern.compile("\"error\":(\\d+)");
    static final String NOT_AN_IMAGE = "BASE64人像图片错误：无法处理图片信息";
    private static final int MAX_NAME_CHARS = 50;
    private static final int MAX_ID_CHARS = 18;
    private static final int MAX_IMAGE_CHARS = 100 * 1024;
    private static final long SIGNATURE_VALIDITY_MILLIS = 15 * 60 * 1000L;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Accounts accounts;
    private final Map<String, SimulatedIdentity> byIdNumber;
    private final Map<String, LongAdder> arrivalsBy = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> billedBy = new ConcurrentHashMap<>();
    private final AtomicLong billed = new AtomicLong();
    private final AtomicLong notBilled = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final FlowControl flowControl = new FlowControl();
    private final DailyLimits dailyLimits = new DailyLimits(Clock.systemUTC());
    private final ArrivalWindow arrivals = new ArrivalWindow();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile SimulatorBehaviour behaviour = SimulatorBehaviour.wellBehaved();
    private volatile boolean logCalls;
    private volatile boolean credentialsRevoked;
    private HttpServer server;

    /** A gateway or provider answer: gateway answers carry an error code and message header. */
    private record Reply(int status, String errorCode, String errorMessage, String body) {
        static Reply gateway(int status, String code, String message) {
            return new Reply(status, code, message, "");
        }
    }

    /** How long a simulated timeout keeps the connection silent before closing it. */
    private static final long HANG_MILLIS = 60_000;
    private final Random random = new Random();

    /** The credentials the simulated gateway accepts: an AppCode, and optionally an AppKey/AppSecret pair. */
    public record Accounts(AppCode appCode, String appKey, String appSecret) {
        public static Accounts appCodeOnly(AppCode appCode) {
            return new Accounts(appCode, null, null);
        }

        /** Accounts that accept exactly these credentials. */
        public static Accounts accepting(Credentials credentials) {
            if (credentials instanceof Credentials.AppCodeAuth appCodeAuth) {
                return appCodeOnly(appCodeAuth.appCode());
            }
            Credentials.SignatureAuth signature = (Credentials.SignatureAuth) credentials;
            return new Accounts(null, signature.appKey(), signature.appSecret());
        }

        @Override
        public String toString() {
            return "Accounts[redacted]";
        }
    }

    public ProviderSimulator(Vertx vertx, Accounts accounts, List<SimulatedIdentity> identities) {
        this(vertx, false, accounts, identities);
    }

    private ProviderSimulator(Vertx vertx, boolean ownsVertx, Accounts accounts, List<SimulatedIdentity> identities) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.accounts = accounts;
        this.byIdNumber = identities.stream()
                .collect(Collectors.toUnmodifiableMap(SimulatedIdentity::idNumber, Function.identity()));
    }

    /** A simulator on its own Vert.x instance, with the bundled registry. */
    public static ProviderSimulator standalone(Accounts accounts) {
        return new ProviderSimulator(Vertx.vertx(), true, accounts, defaultIdentities());
    }

    public static List<SimulatedIdentity> defaultIdentities() {
        try (InputStream in = ProviderSimulator.class.getResourceAsStream(DEFAULT_REGISTRY)) {
            if (in == null) {
                throw new IllegalStateException("the simulator registry " + DEFAULT_REGISTRY + " is missing from the jar");
            }
            return readIdentities(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the simulator registry cannot be read", e);
        }
    }

    /**
     * A registry file: a JSON array of {@code {name, idNumber, answer, address}} objects, as the bundled one.
     *
     * @throws IllegalArgumentException saying what is wrong with the file
     */
    public static List<SimulatedIdentity> identitiesFrom(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<SimulatedIdentity> identities = readIdentities(in);
            for (SimulatedIdentity identity : identities) {
                if (identity.name() == null || !CheckCharacter.isValid(identity.idNumber())
                        || Outcome.ofCode(identity.answer()).filter(o -> o != Outcome.INVALID_REQUEST).isEmpty()) {
                    throw new IllegalArgumentException(file + ": every entry needs a name, a valid 18-character"
                            + " idNumber and an answer code 0–6, 8 or 9");
                }
            }
            return identities;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a readable registry (a JSON array of identities): "
                    + e.getClass().getSimpleName());
        }
    }

    private static List<SimulatedIdentity> readIdentities(InputStream in) throws IOException {
        return Json.MAPPER.readValue(in, new TypeReference<List<SimulatedIdentity>>() { });
    }

    /** Logs one line per call, the person masked: for the simulator run on its own, not for load tests. */
    public void logCalls(boolean on) {
        this.logCalls = on;
    }

    /**
     * Revokes the accounts' credentials, or restores them: while revoked, the gateway refuses every call with 403
     * {@code Unauthorized}, as after a subscription is cancelled or an AppCode reset in the marketplace console.
     */
    public void revokeCredentials(boolean revoked) {
        this.credentialsRevoked = revoked;
    }

    /** Changes how the simulator behaves from the next call on. */
    public void behaviour(SimulatorBehaviour next) {
        this.behaviour = next;
    }

    /** Starts listening on loopback; port 0 picks a free one. Returns the port. */
    public int start(int port) {
        return start("127.0.0.1", port);
    }

    /** Starts listening on {@code host}; port 0 picks a free one. Returns the port. */
    public int start(String host, int port) {
        Router router = Router.router(vertx);
        router.post("/facecheck").handler(BodyHandler.create(false).setBodyLimit(2L * MAX_IMAGE_CHARS)).handler(this::facecheck);
        router.get("/admin/counters").handler(this::counters);
        router.put("/admin/behaviour").handler(BodyHandler.create(false)).handler(this::changeBehaviour);
        router.get("/admin/behaviour").handler(this::showBehaviour);
        try {
            // The default form-field limit (8 KB) is far below a photo; the provider takes up to 100 KB.
            server = vertx.createHttpServer(new HttpServerOptions().setMaxFormAttributeSize(2 * MAX_IMAGE_CHARS))
                    .requestHandler(router).listen(port, host)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the provider simulator could not listen on port " + port + ": " + e.getMessage(), e);
        }
        return server.actualPort();
    }

    public long billedCalls() {
        return billed.get();
    }

    public long notBilledCalls() {
        return notBilled.get();
    }

    /** Every call that arrived, answered or not. */
    public long calls() {
        return arrivals.count();
    }

    /** Calls that have arrived and are not yet answered (or closed). */
    public int callsInFlight() {
        return inFlight.get();
    }

    /** The most calls that had arrived and were not yet answered (or closed) at any one moment. */
    public int maxCallsInFlight() {
        return maxInFlight.get();
    }


    /**
     * Calls that arrived for this ID number, answered or not: tests check the worker's caps with it. Counted in
     * memory only, by the synthetic values the test sent.
     */
    public long callsForIdNumber(String idNumber) {
        return countOf(arrivalsBy, "id:" + idNumber);
    }

    /** Calls that arrived for this name, answered or not. */
    public long callsForName(String name) {
        return countOf(arrivalsBy, "name:" + name);
    }

    /** Calls for this name that were answered with HTTP 200, the ones the gateway bills. */
    public long billedForName(String name) {
        return countOf(billedBy, "name:" + name);
    }

    private static long countOf(Map<String, LongAdder> counts, String key) {
        LongAdder count = counts.get(key);
        return count == null ? 0 : count.sum();
    }

    private void facecheck(RoutingContext ctx) {
        arrivals.record(System.nanoTime());
        countInFlight(ctx);
        var form = ctx.request().formAttributes();
        arrivalsBy.computeIfAbsent("id:" + form.get("sfz"), k -> new LongAdder()).increment();
        arrivalsBy.computeIfAbsent("name:" + form.get("xm"), k -> new LongAdder()).increment();
        SimulatorBehaviour now = behaviour;
        ctx.response().putHeader(HttpProvider.REQUEST_ID, UUID.randomUUID().toString());
        String authProblem = authProblem(ctx);
        if (authProblem != null) {
            deliver(ctx, now, Reply.gateway(authProblem.startsWith("Empty") ? 401 : 400, "I400AU", authProblem));
            return;
        }
        if (credentialsRevoked) {
            deliver(ctx, now, Reply.gateway(403, "A403UA", "Unauthorized"));
            return;
        }
        if (now.callsPerSecond() > 0 && !flowControl.admit(now.callsPerSecond())) {
            deliver(ctx, now, Reply.gateway(403, "A403TH", "Throttled by API Flow Control"));
            return;
        }
        if (now.quota() > 0 && billed.get() >= now.quota()) {
            deliver(ctx, now, Reply.gateway(403, "A403QE", "Quota Exhausted"));
            return;
        }
        double roll = random.nextDouble();
        if ((roll -= now.serverErrorRate()) < 0) {
            deliver(ctx, now, Reply.gateway(503, "X503SU", "Service Unavailable"));
        } else if ((roll -= now.timeoutRate()) < 0) {
            timeouts.incrementAndGet();
            logCall(ctx, "no answer (the client must time out)");
            vertx.setTimer(HANG_MILLIS, id -> ctx.request().connection().close());
        } else if ((roll -= now.resetRate()) < 0) {
            resets.incrementAndGet();
            logCall(ctx, "connection closed without an answer");
            ctx.request().connection().close();
        } else if ((roll -= now.malformedRate()) < 0) {
            // A provider answer cut short: the status says 200, so the gateway bills it all the same.
            deliver(ctx, now, new Reply(200, null, null, "{\"ok\":1,\"msg\":\"身份证号与姓名匹配"));
        } else {
            deliver(ctx, now, provider(ctx.request().formAttributes().get("xm"),
                    ctx.request().formAttributes().get("sfz"), ctx.request().formAttributes().get("img"), now));
        }
    }

    /** Counts the call in flight until its answer is sent or its connection closes, whichever comes first. */
    private void countInFlight(RoutingContext ctx) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        AtomicBoolean over = new AtomicBoolean();
        Runnable done = () -> {
            if (over.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        ctx.response().endHandler(v -> done.run());
        ctx.response().closeHandler(v -> done.run());
    }

    /** The provider's own answer to a call that passed the gateway. */
    private Reply provider(String xm, String sfz, String img, SimulatorBehaviour now) {
        if (isEmpty(xm)) {
            return refusal("未传入真实姓名xm");
        } else if (isEmpty(sfz)) {
            return refusal("未传入身份证号码sfz");
        } else if (isEmpty(img)) {
            return refusal("未传入人像图片img");
        } else if (xm.codePointCount(0, xm.length()) > MAX_NAME_CHARS) {
            return refusal("传入真实姓名xm字符串长度超限");
        } else if (sfz.length() > MAX_ID_CHARS) {
            return refusal("传入身份证号码sfz字符串长度超限");
        } else if (img.length() > MAX_IMAGE_CHARS) {
            return refusal("传入人像图片img字符串长度超限");
        } else if (xm.contains("*") || sfz.contains("*") || img.contains("*")) {
            return refusal("存在*字符，视为调试数据。止于当前结果。");
        } else if (!CheckCharacter.isValid(sfz)) {
            return refusal("错误的身份证号码");
        }
        String id = sfz.toUpperCase(Locale.ROOT);
        // Both limits count every check, so '|' and not '||': a refused ID still uses up a check of the name.
        if (!dailyLimits.admit("id:" + id, now.perIdDaily()) | !dailyLimits.admit("name:" + xm, now.perNameDaily())) {
            return failure(Outcome.THROTTLED);
        }
        return answer(xm, id, img);
    }

    /** What the gateway would say about the call's credentials; null when they are good. */
    private String authProblem(RoutingContext ctx) {
        var request = ctx.request();
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            return accounts.appCode() != null && accounts.appCode().matchesAuthorization(authorization)
                    ? null : "Invalid AppCode `not exists`";
        }
        String key = request.getHeader("X-Ca-Key");
        if (key == null) {
            return "Empty Signature";
        }
        if (accounts.appKey() == null || !accounts.appKey().equals(key)) {
            return "Invalid AppKey";
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(request.getHeader("X-Ca-Timestamp"));
        } catch (NumberFormatException e) {
            return "Invalid Timestamp";
        }
        if (Math.abs(System.currentTimeMillis() - timestamp) > SIGNATURE_VALIDITY_MILLIS) {
            return "Timestamp Expired";
        }
        TreeMap<String, String> signed = new TreeMap<>();
        String names = request.getHeader("X-Ca-Signature-Headers");
        for (String name : names == null ? new String[0] : names.split(",")) {
            String value = request.getHeader(name.strip());
            signed.put(name.strip(), value == null ? "" : value);
        }
        Map<String, String> form = new HashMap<>();
        request.formAttributes().forEach(form::put);
        String stringToSign = Credentials.SignatureAuth.stringToSign(request.method().name(), request.getHeader("Accept"),
                request.getHeader("Content-Type"), request.path(), form, signed);
        String expected = Credentials.SignatureAuth.signature(accounts.appSecret().getBytes(StandardCharsets.UTF_8), stringToSign);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                String.valueOf(request.getHeader("X-Ca-Signature")).getBytes(StandardCharsets.UTF_8))) {
            // The real gateway echoes its string to sign, form body included, with '#' for line feeds.
            return "Invalid Signature, Server StringToSign:" + stringToSign.replace('\n', '#');
        }
        return null;
    }

    private Reply answer(String xm, String sfz, String img) {
        SimulatedIdentity person = byIdNumber.get(sfz);
        if (person == null) {
            return verdict(Outcome.ID_NOT_FOUND, sfz, xm, null);
        }
        if (!person.name().equals(xm)) {
            return verdict(Outcome.NAME_MISMATCH, sfz, xm, null);
        }
        if (!PhotoUrls.isUrl(img) && !isPicture(img)) {
            return verdict(Outcome.PHOTO_UNUSABLE, NOT_AN_IMAGE, sfz, xm, person.address());
        }
        if (Boolean.FALSE.equals(person.photoOnFile())) {
            return verdict(Outcome.NO_PHOTO_ON_FILE, sfz, xm, person.address());
        }
        if (person.photoSha256() != null && !PhotoUrls.isUrl(img)) {
            return verdict(comparePhoto(img, person.photoSha256()), sfz, xm, person.address());
        }
        Outcome outcome = Outcome.ofCode(person.answer()).orElse(Outcome.FAILED);
        return outcome.isVerdict() ? verdict(outcome, sfz, xm, person.address()) : failure(outcome);
    }

    /** The "face comparison": the same photo bytes as on file match, anything else does not. */
    private static Outcome comparePhoto(String img, String referenceSha256) {
        byte[] photo;
        try {
            photo = Base64.getMimeDecoder().decode(img);
        } catch (IllegalArgumentException e) {
            return Outcome.PHOTO_UNUSABLE;
        }
        try {
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(photo));
            return sha256.equalsIgnoreCase(referenceSha256) ? Outcome.VERIFIED : Outcome.FACE_MISMATCH;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static Reply verdict(Outcome outcome, String sfz, String xm, String address) {
        return verdict(outcome, outcome.providerMessage(), sfz, xm, address);
    }

    private static Reply verdict(Outcome outcome, String message, String sfz, String xm, String address) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("ok", 1)
                .put("msg", message)
                .put("xm", Masking.name(xm))
                .put("sfz", Masking.idNumber(sfz))
                .put("match", outcome == Outcome.VERIFIED)
                .put("error", outcome.code());
        if (outcome != Outcome.ID_NOT_FOUND) {
            body.put("birthday", sfz.substring(6, 10) + "-" + sfz.substring(10, 12) + "-" + sfz.substring(12, 14))
                    .put("sex", (sfz.charAt(16) - '0') % 2 == 1 ? "男" : "女");
            if (address != null) {
                body.put("address", address);
            }
        }
        return new Reply(200, null, null, body.toString());
    }

    private static Reply failure(Outcome outcome) {
        return new Reply(HttpProvider.PROVIDER_REFUSED_STATUS, null, null, Json.MAPPER.createObjectNode().put("ok", 0)
                .put("msg", outcome.providerMessage()).put("error", outcome.code()).toString());
    }

    private static Reply refusal(String message) {
        return new Reply(HttpProvider.PROVIDER_REFUSED_STATUS, null, null,
                Json.MAPPER.createObjectNode().put("ok", 0).put("msg", message).toString());
    }

    /** Sends the reply after the configured latency; billed by its status alone, as at the real gateway. */
    private void deliver(RoutingContext ctx, SimulatorBehaviour now, Reply reply) {
        if (logCalls) {
            // The status and codes only: the body holds the birthday, sex and region beside the masked ID number.
            Matcher error = ERROR_CODE.matcher(reply.body());
            logCall(ctx, "HTTP " + reply.status() + (reply.errorCode() == null ? "" : " " + reply.errorCode())
                    + (error.find() ? ", error " + error.group(1) : ""));
        }
        long delay = now.latencyMillis() + (random.nextDouble() < now.tailRate() ? now.tailMillis() : 0);
        if (delay <= 0) {
            send(ctx, reply);
        } else {
            vertx.setTimer(delay, id -> send(ctx, reply));
        }
    }

    private void send(RoutingContext ctx, Reply reply) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        if (Billing.ofStatus(reply.status()) == Billing.BILLED) {
            billed.incrementAndGet();
            billedBy.computeIfAbsent("name:" + ctx.request().formAttributes().get("xm"), k -> new LongAdder()).increment();
        } else {
            notBilled.incrementAndGet();
        }
        var response = ctx.response().setStatusCode(reply.status());
        if (reply.errorCode() != null) {
            response.putHeader(HttpProvider.GATEWAY_ERROR_CODE, reply.errorCode())
                    .putHeader(HttpProvider.GATEWAY_ERROR_MESSAGE, reply.errorMessage());
        }
        response.putHeader("Content-Type", "application/json; charset=UTF-8").end(reply.body());
    }

    private void counters(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json")
                .end(Json.MAPPER.createObjectNode().put("billed", billed.get()).put("notBilled", notBilled.get())
                        .put("timeouts", timeouts.get()).put("resets", resets.get())
                        .put("maxCallsInAnySecond", arrivals.maxInAnySecond()).put("averageCallRate", arrivals.averageRate())
                        .put("maxCallsInFlight", maxInFlight.get())
                        .toString());
    }

    private void showBehaviour(RoutingContext ctx) {
        try {
            ctx.response().putHeader("Content-Type", "application/json").end(Json.MAPPER.writeValueAsString(behaviour));
        } catch (IOException e) {
            ctx.fail(e);
        }
    }

    private void changeBehaviour(RoutingContext ctx) {
        try {
            behaviour = SimulatorBehaviour.changed(behaviour, ctx.body().asString());
            showBehaviour(ctx);
        } catch (IllegalArgumentException e) {
            ctx.response().setStatusCode(400).end("not a valid behaviour: " + e.getMessage());
        }
    }

    private void logCall(RoutingContext ctx, String answer) {
        if (logCalls) {
            var form = ctx.request().formAttributes();
            LOG.info("call for {} {}: {}", Masking.name(form.get("xm")), Masking.idNumber(form.get("sfz")), answer);
        }
    }

    /** Whether base64 photo data is a JPEG, PNG or WebP picture, by its first bytes as the provider would find. */
    private static boolean isPicture(String img) {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(img.length() > 64 ? img.substring(0, 64) : img);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return startsWith(bytes, 0xFF, 0xD8, 0xFF) || startsWith(bytes, 0x89, 'P', 'N', 'G')
                || (startsWith(bytes, 'R', 'I', 'F', 'F') && bytes.length >= 12 && bytes[8] == 'W' && bytes[9] == 'E'
                && bytes[10] == 'B' && bytes[11] == 'P');
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // closing a loopback test server cannot lose data; the port is freed with the process anyway
        } finally {
            if (ownsVertx) {
                vertx.close();
            }
        }
    }
}
