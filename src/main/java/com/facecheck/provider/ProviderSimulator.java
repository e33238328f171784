package com.facecheck.provider;

import com.facecheck.contract.Json;
import com.facecheck.contract.Outcome;
import com.facecheck.identity.CheckCharacter;
import com.facecheck.identity.Masking;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A stand-in for the gateway and provider, for the demo, the tests and benchmarks: same endpoint, same
 * form fields, same statuses and JSON, answers from a deterministic registry of synthetic identities.
 * Never used against real people's data.
 */
public final class ProviderSimulator implements AutoCloseable {

    /** The registry bundled with the product; its identities are synthetic. */
    public static final String DEFAULT_REGISTRY = "/simulator/identities.json";

    private static final int MAX_NAME_CHARS = 50;
    private static final int MAX_ID_CHARS = 18;
    private static final int MAX_IMAGE_CHARS = 100 * 1024;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final AppCode appCode;
    private final Map<String, SimulatedIdentity> byIdNumber;
    private final AtomicLong billed = new AtomicLong();
    private final AtomicLong notBilled = new AtomicLong();
    private HttpServer server;

    public ProviderSimulator(Vertx vertx, AppCode appCode, List<SimulatedIdentity> identities) {
        this(vertx, false, appCode, identities);
    }

    private ProviderSimulator(Vertx vertx, boolean ownsVertx, AppCode appCode, List<SimulatedIdentity> identities) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.appCode = appCode;
        this.byIdNumber = identities.stream()
                .collect(Collectors.toUnmodifiableMap(SimulatedIdentity::idNumber, Function.identity()));
    }

    /** A simulator on its own Vert.x instance, with the bundled registry. */
    public static ProviderSimulator standalone(AppCode appCode) {
        return new ProviderSimulator(Vertx.vertx(), true, appCode, defaultIdentities());
    }

    public static List<SimulatedIdentity> defaultIdentities() {
        try (InputStream in = ProviderSimulator.class.getResourceAsStream(DEFAULT_REGISTRY)) {
            if (in == null) {
                throw new IllegalStateException("the simulator registry " + DEFAULT_REGISTRY + " is missing from the jar");
            }
            return Json.MAPPER.readValue(in, new TypeReference<List<SimulatedIdentity>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("the simulator registry cannot be read", e);
        }
    }

    /** Starts listening on loopback; port 0 picks a free one. Returns the port. */
    public int start(int port) {
        Router router = Router.router(vertx);
        router.post("/facecheck").handler(BodyHandler.create(false).setBodyLimit(2L * MAX_IMAGE_CHARS)).handler(this::facecheck);
        router.get("/admin/counters").handler(this::counters);
        try {
            server = vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1")
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

    private void facecheck(RoutingContext ctx) {
        ctx.response().putHeader(HttpProvider.REQUEST_ID, UUID.randomUUID().toString());
        if (!appCode.matchesAuthorization(ctx.request().getHeader("Authorization"))) {
            ctx.response().setStatusCode(400)
                    .putHeader(HttpProvider.GATEWAY_ERROR_CODE, "I400IA")
                    .putHeader(HttpProvider.GATEWAY_ERROR_MESSAGE, "Invalid AppCode `not exists`")
                    .end();
            return;
        }
        var form = ctx.request().formAttributes();
        String xm = form.get("xm");
        String sfz = form.get("sfz");
        String img = form.get("img");
        if (isEmpty(xm)) {
            refuse(ctx, "未传入真实姓名xm");
        } else if (isEmpty(sfz)) {
            refuse(ctx, "未传入身份证号码sfz");
        } else if (isEmpty(img)) {
            refuse(ctx, "未传入人像图片img");
        } else if (xm.codePointCount(0, xm.length()) > MAX_NAME_CHARS) {
            refuse(ctx, "传入真实姓名xm字符串长度超限");
        } else if (sfz.length() > MAX_ID_CHARS) {
            refuse(ctx, "传入身份证号码sfz字符串长度超限");
        } else if (img.length() > MAX_IMAGE_CHARS) {
            refuse(ctx, "传入人像图片img字符串长度超限");
        } else if (xm.contains("*") || sfz.contains("*") || img.contains("*")) {
            refuse(ctx, "存在*字符，视为调试数据。止于当前结果。");
        } else if (!CheckCharacter.isValid(sfz)) {
            refuse(ctx, "错误的身份证号码");
        } else {
            answer(ctx, xm, sfz.toUpperCase(Locale.ROOT));
        }
    }

    private void answer(RoutingContext ctx, String xm, String sfz) {
        SimulatedIdentity person = byIdNumber.get(sfz);
        if (person == null) {
            verdict(ctx, Outcome.ID_NOT_FOUND, sfz, xm, null);
            return;
        }
        if (!person.name().equals(xm)) {
            verdict(ctx, Outcome.NAME_MISMATCH, sfz, xm, null);
            return;
        }
        Outcome outcome = Outcome.ofCode(person.answer()).orElse(Outcome.FAILED);
        if (outcome.isVerdict()) {
            verdict(ctx, outcome, sfz, xm, person.address());
        } else {
            ObjectNode body = Json.MAPPER.createObjectNode().put("ok", 0).put("msg", outcome.providerMessage())
                    .put("error", outcome.code());
            send(ctx, HttpProvider.PROVIDER_REFUSED_STATUS, body);
        }
    }

    private void verdict(RoutingContext ctx, Outcome outcome, String sfz, String xm, String address) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("ok", 1)
                .put("msg", outcome.providerMessage())
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
        send(ctx, 200, body);
    }

    private void refuse(RoutingContext ctx, String message) {
        send(ctx, HttpProvider.PROVIDER_REFUSED_STATUS, Json.MAPPER.createObjectNode().put("ok", 0).put("msg", message));
    }

    private void send(RoutingContext ctx, int status, ObjectNode body) {
        (status == 200 ? billed : notBilled).incrementAndGet();
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=UTF-8")
                .end(body.toString());
    }

    private void counters(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json")
                .end(Json.MAPPER.createObjectNode().put("billed", billed.get()).put("notBilled", notBilled.get()).toString());
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
