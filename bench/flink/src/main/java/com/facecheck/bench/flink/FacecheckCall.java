package com.facecheck.bench.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/** One provider call per request, through one Vert.x WebClient with a connection per call in flight. */
final class FacecheckCall extends RichAsyncFunction<Request, Result> {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String appCode;
    private final int capacity;
    private final long callTimeoutMs;

    private transient Vertx vertx;
    private transient WebClient client;
    private transient MultiMap headers;
    private transient ObjectMapper json;

    FacecheckCall(String providerUrl, String appCode, int capacity, long callTimeoutMs) {
        this.url = providerUrl + "/facecheck";
        this.appCode = appCode;
        this.capacity = capacity;
        this.callTimeoutMs = callTimeoutMs;
    }

    @Override
    public void open(OpenContext openContext) {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setUserAgentEnabled(false),
                new PoolOptions().setHttp1MaxSize(capacity));
        headers = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "APPCODE " + appCode)
                .add("Accept", "application/json")
                .add("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        json = new ObjectMapper();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        if (vertx != null) {
            vertx.close();
        }
    }

    @Override
    public void asyncInvoke(Request request, ResultFuture<Result> resultFuture) {
        if (request.invalid) {
            resultFuture.complete(List.of(Result.of(request, Result.INVALID_REQUEST, null, 0)));
            return;
        }
        Buffer body = Buffer.buffer("xm=" + form(request.name) + "&sfz=" + form(request.idNumber) + "&img="
                + form(request.image));
        client.postAbs(url).putHeaders(headers).timeout(callTimeoutMs).sendBuffer(body).onComplete(reply -> {
            Result result = reply.succeeded() ? answer(request, reply.result()) : Result.of(request, Result.FAILED, null, 1);
            resultFuture.complete(List.of(result));
        });
    }

    @Override
    public void timeout(Request request, ResultFuture<Result> resultFuture) {
        resultFuture.complete(List.of(Result.of(request, Result.FAILED, null, 1)));
    }

    private Result answer(Request request, HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if ((status == 200 || status == 666) && response.body() != null) {
            try {
                JsonNode node = json.readTree(response.body().getBytes());
                JsonNode error = node.get("error");
                if (error != null && error.isIntegralNumber() && error.asInt() >= 0 && error.asInt() <= 9) {
                    JsonNode match = node.get("match");
                    return Result.of(request, error.asInt(), match != null && match.isBoolean() ? match.asBoolean() : null, 1);
                }
            } catch (Exception e) {
                // unreadable: failed, below
            }
        }
        return Result.of(request, Result.FAILED, null, 1);
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
