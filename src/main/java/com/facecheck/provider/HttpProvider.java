package com.facecheck.provider;

import com.facecheck.contract.Json;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.identity.Masking;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLHandshakeException;

/**
 * The provider over HTTP: {@code POST {base}/facecheck} with a UTF-8 form body, through the marketplace
 * gateway. One instance (one connection pool) serves every stream task. TLS certificates are always
 * verified.
 */
public final class HttpProvider implements Provider, AutoCloseable {

    /** The gateway's own error header: present means the gateway answered, not the provider. */
    public static final String GATEWAY_ERROR_CODE = "X-Ca-Error-Code";
    public static final String GATEWAY_ERROR_MESSAGE = "X-Ca-Error-Message";
    public static final String REQUEST_ID = "X-Ca-Request-Id";
    /** The provider's own status for {@code ok=0} answers; it is not billed. */
    public static final int PROVIDER_REFUSED_STATUS = 666;

    private static final int EXCERPT_CHARS = 160;
    /** Exceptions of the HTTP stack wrap one or two others; a cycle of causes must not loop an event-loop thread. */
    private static final int MAX_CAUSES = 8;

    private final WebClient client;
    private final String endpoint;
    private final String path;
    private final Credentials credentials;
    private final long callTimeoutMillis;

    public HttpProvider(Vertx vertx, ProviderUrl providerUrl, Credentials credentials, Duration callTimeout,
                        int maxConnections) {
        WebClientOptions options = new WebClientOptions()
                .setUserAgent("facecheck-streams")
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, callTimeout.toMillis()))
                .setVerifyHost(true)
                .setTrustAll(false);
        this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(maxConnections));
        URI baseUrl = providerUrl.uri();
        String base = baseUrl.toString();
        this.endpoint = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/facecheck";
        String basePath = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        this.path = (basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath) + "/facecheck";
        this.credentials = credentials;
        this.callTimeoutMillis = callTimeout.toMillis();
    }

    @Override
    public CompletionStage<ProviderAnswer> verify(VerificationRequest request) {
        Map<String, String> fields = Map.of(
                "xm", nullToEmpty(request.name()),
                "sfz", nullToEmpty(request.idNumber()),
                "img", request.image() != null ? request.image() : nullToEmpty(request.imageUrl()));
        var call = client.postAbs(endpoint)
                .putHeader("Accept", Credentials.ACCEPT)
                .putHeader("Content-Type", Credentials.FORM_CONTENT_TYPE)
                .timeout(callTimeoutMillis)
                // Getting a connection takes the DNS lookup, the connect (the socket's own limit is one call
                // timeout) and the TLS handshake. With twice the call timeout for all of it, a connect that hangs
                // fails as the socket's ConnectTimeoutException, which says the request never left, rather than as
                // the pool's timeout, which cannot tell.
                .connectTimeout(2 * callTimeoutMillis);
        credentials.headers("POST", path, fields).forEach(call::putHeader);
        // Encoded here rather than by sendForm, so the Content-Type sent is exactly the one signed.
        return call.sendBuffer(FormEncoding.encode(fields))
                .map(HttpProvider::classify)
                .otherwise(HttpProvider::transportFailure)
                .toCompletionStage();
    }


    static ProviderAnswer transportFailure(Throwable failure) {
        // Exception messages from the HTTP stack name hosts and ports, never the form body.
        String kind = failure.getClass().getSimpleName();
        String detail = failure.getMessage() == null ? "" : ": " + Masking.excerpt(failure.getMessage(), EXCERPT_CHARS);
        return new ProviderAnswer.TransientFailure("call failed before an answer came back (" + kind + detail + ")",
                billingOf(failure), null);
    }

    /**
     * Free only when the request cannot have left: no connection (refused, no route, connect timeout), no address,
     * no TLS session. Anything later (a response timeout, a connection closed or reset mid-call) may have reached
     * the provider, been answered with a 200 and billed.
     */
    static Billing billingOf(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                    || cause instanceof UnknownHostException || cause instanceof SSLHandshakeException) {
                return Billing.UNBILLED;
            }
        }
        return Billing.UNKNOWN;
    }

    static ProviderAnswer classify(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        String requestId = response.getHeader(REQUEST_ID);
        String gatewayCode = response.getHeader(GATEWAY_ERROR_CODE);
        String gatewayMessage = response.getHeader(GATEWAY_ERROR_MESSAGE);
        if (gatewayCode != null || (gatewayMessage != null && status != 200 && status != PROVIDER_REFUSED_STATUS)) {
            return GatewayError.classify(status, gatewayCode, gatewayMessage, requestId);
        }
        if (status != 200 && status != PROVIDER_REFUSED_STATUS) {
            return GatewayError.byStatus(status, "HTTP " + status + " without a gateway error code: "
                    + Masking.excerpt(response.bodyAsString(), EXCERPT_CHARS), requestId);
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body() == null ? new byte[0] : response.body().getBytes());
        } catch (Exception e) {
            body = null;
        }
        Billing billing = Billing.ofStatus(status);
        if (body == null || !body.isObject()) {
            return new ProviderAnswer.TransientFailure("HTTP " + status + " with a body that is not a JSON object: "
                    + Masking.excerpt(response.bodyAsString(), EXCERPT_CHARS), billing, requestId);
        }
        return classifyBody(status, billing, body, requestId);
    }

    private static ProviderAnswer classifyBody(int status, Billing billing, JsonNode body, String requestId) {
        int ok = body.path("ok").asInt(-1);
        String message = body.path("msg").asText("");
        JsonNode errorNode = body.get("error");
        Integer error = errorNode != null && errorNode.canConvertToInt() ? errorNode.asInt() : null;
        if (error != null && error == Outcome.THROTTLED.code()) {
            return new ProviderAnswer.Throttled(message, billing, requestId);
        }
        if (error != null && error == Outcome.FAILED.code()) {
            return new ProviderAnswer.TransientFailure("provider error 9: " + message, billing, requestId);
        }
        if (status == 200 && ok == 1 && error != null) {
            var outcome = Outcome.ofCode(error).filter(Outcome::isVerdict);
            if (outcome.isPresent()) {
                JsonNode match = body.get("match");
                return new ProviderAnswer.Verdict(outcome.get(),
                        match != null && match.isBoolean() ? match.booleanValue() : null, message,
                        textOrNull(body, "birthday"), textOrNull(body, "sex"), textOrNull(body, "address"), requestId);
            }
            return new ProviderAnswer.TransientFailure("HTTP 200 with an unknown error code " + error, billing,
                    requestId);
        }
        if (ok == 0 || status == PROVIDER_REFUSED_STATUS) {
            return new ProviderAnswer.Refused("provider-refused", stripKeySuffix(message), billing, requestId);
        }
        return new ProviderAnswer.TransientFailure("HTTP " + status + " with an answer of no known shape (ok="
                + ok + ", error=" + error + ")", billing, requestId);
    }

    /** The provider's table shows messages ending in a literal "key" placeholder; results carry the words only. */
    private static String stripKeySuffix(String message) {
        return message.endsWith("key") ? message.substring(0, message.length() - 3) : message;
    }

    private static String textOrNull(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    @Override
    public void close() {
        client.close();
    }
}
