package com.facecheck.app;

import com.facecheck.contract.Json;
import com.facecheck.provider.ProviderCircuit;
import com.facecheck.topology.CallGauges;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.BindException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the platform asks a running worker, on one port: {@code GET /health/live}, {@code GET /health/ready} and
 * {@code GET /metrics} (Prometheus text). docs/operations.md says what each answers and why.
 *
 * <p>It starts before the worker, so that the process answers as alive while the worker checks its topics and
 * restores its state, which can outlast a liveness probe's patience; until it {@link #serve serves} a worker it is
 * not ready and has no metrics.
 */
public final class HttpSurface implements AutoCloseable {

    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";
    static final String METRICS = "/metrics";
    /** What readiness reports for Kafka Streams before the worker runs. */
    static final String STARTING = "STARTING";

    private static final String JSON = "application/json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final int port;
    private final Vertx vertx;
    private volatile Worker worker;

    /** @param port 0 picks a free one (for tests) */
    public HttpSurface(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the HTTP port must be 0–65535, not " + port);
        }
        this.port = port;
        // Probes and one scrape at a time: a thread for each is plenty, beside the worker's own.
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    }

    /**
     * Listens on every interface.
     *
     * @return the port listened on
     * @throws IllegalStateException when the port is taken or cannot be listened on, saying which and why
     */
    public int start() {
        Router router = Router.router(vertx);
        router.get(LIVE).handler(ctx -> respond(ctx, 200, Json.MAPPER.createObjectNode().put("live", true)));
        router.get(READY).handler(this::ready);
        // A scrape formats every Kafka client metric: off the event loop, which answers the probes.
        router.get(METRICS).blockingHandler(this::metrics);
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return server.actualPort();
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof BindException) {
                throw new IllegalStateException("HTTP port " + port + " is taken: another process listens on it."
                        + " Stop that process or choose another port for the worker's health and metrics");
            }
            throw new IllegalStateException("cannot listen on HTTP port " + port + " ("
                    + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage()
                    + "); choose another port for the worker's health and metrics");
        } catch (TimeoutException e) {
            close();
            throw new IllegalStateException("HTTP port " + port + " did not open within 30 s");
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening HTTP port " + port, e);
        }
    }

    /** From now on readiness and metrics are this worker's: call it once the worker has started. */
    public void serve(Worker running) {
        this.worker = running;
    }

    /**
     * Ready while Kafka Streams is RUNNING. The provider's state is in the body but never makes the worker unready:
     * an unready instance is taken out of service, while an outage of the provider is shared by every instance and
     * waits in the stores; taking instances out or restarting them would only move tasks and restore state.
     */
    private void ready(RoutingContext ctx) {
        Worker current = worker;
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (current == null) {
            respond(ctx, 503, body.put("ready", false).put("streams", STARTING));
            return;
        }
        KafkaStreams.State state = current.state();
        boolean ready = state == KafkaStreams.State.RUNNING;
        body.put("ready", ready).put("streams", state.name());
        PrometheusMeterRegistry meters = current.meters();
        ObjectNode provider = body.putObject("provider");
        Gauge circuit = meters.find(ProviderCircuit.OPEN_METER).gauge();
        provider.put("circuit", circuit != null && circuit.value() > 0 ? "open" : "closed");
        Gauge budgetLeft = meters.find(CallGauges.BUDGET_LEFT).gauge();
        if (budgetLeft == null) {
            provider.putNull("budgetLeftToday");
        } else {
            provider.put("budgetLeftToday", (long) budgetLeft.value());
        }
        respond(ctx, ready ? 200 : 503, body);
    }

    private void metrics(RoutingContext ctx) {
        Worker current = worker;
        if (current == null) {
            ctx.response().setStatusCode(503).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("the worker is starting; its metrics come once it runs\n");
            return;
        }
        ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(current.meters().scrape());
    }

    private static void respond(RoutingContext ctx, int status, ObjectNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body.toString());
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Closing is best effort: the process is on its way out.
        }
    }
}
