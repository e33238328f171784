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
        FormBody form = new FormBody(request.image.length() + 256);
        form.add("xm", request.name).add("sfz", request.idNumber).add("img", request.image);
        Buffer body = form.toBuffer();
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

    /**
     * application/x-www-form-urlencoded in UTF-8, as {@link java.net.URLEncoder} writes it, straight into bytes:
     * URLEncoder took a visible share of the task thread on a 40 KB base64 photo ('+' and '/' go its slow way).
     */
    static final class FormBody {
        private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
        private byte[] bytes;
        private int size;

        FormBody(int expected) {
            bytes = new byte[expected * 3 / 2];
        }

        FormBody add(String name, String value) {
            if (size > 0) {
                put((byte) '&');
            }
            encode(name);
            put((byte) '=');
            encode(value);
            return this;
        }

        private void encode(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                        || c == '.' || c == '*') {
                    put((byte) c);
                } else if (c == ' ') {
                    put((byte) '+');
                } else if (c < 0x80) {
                    percent(c);
                } else {
                    int end = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                            ? i + 2 : i + 1;
                    for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                        percent(b & 0xff);
                    }
                    i = end - 1;
                }
            }
        }

        private void percent(int b) {
            put((byte) '%');
            put(HEX[b >> 4]);
            put(HEX[b & 0xf]);
        }

        private void put(byte b) {
            if (size == bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = b;
        }

        Buffer toBuffer() {
            return Buffer.buffer(java.util.Arrays.copyOf(bytes, size));
        }

        @Override
        public String toString() {
            return new String(bytes, 0, size, StandardCharsets.US_ASCII);
        }
    }
}
