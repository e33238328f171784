package com.facecheck.bench;

import com.facecheck.cli.FacecheckCli;
import com.facecheck.contract.Json;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The provider simulator in its own process, as the provider is remote in production: its pauses must not stall
 * the worker being measured, nor the worker's pauses the simulator's clock. Driven over its admin endpoints.
 */
public final class SimulatorProcess implements AutoCloseable {

    private final Process process;
    private final ProviderUrl url;

    private SimulatorProcess(Process process, ProviderUrl url) {
        this.process = process;
        this.url = url;
    }

    /** Starts a simulator accepting {@code appCode} on a free port; returns once it answers. */
    public static SimulatorProcess start(String appCode) throws IOException, InterruptedException {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FacecheckCli.class.getName(), "simulate",
                "--port", Integer.toString(port));
        builder.environment().put(Credentials.APPCODE_ENV, appCode);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        SimulatorProcess simulator = new SimulatorProcess(builder.start(), ProviderUrl.of("http://127.0.0.1:" + port));
        try {
            simulator.awaitUp();
        } catch (RuntimeException | InterruptedException e) {
            simulator.close();
            throw e;
        }
        return simulator;
    }

    public ProviderUrl url() {
        return url;
    }

    /** Changes the simulator's behaviour, e.g. {@code {"latencyMillis":200}}. */
    public void behaviour(String json) throws IOException, InterruptedException {
        admin("PUT", "/admin/behaviour", json);
    }

    /** Its billing and call counters. */
    public JsonNode counters() throws IOException, InterruptedException {
        return Json.MAPPER.readTree(admin("GET", "/admin/counters", null));
    }

    private void awaitUp() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                counters();
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the simulator did not start");
    }

    private String admin(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.uri().resolve(path));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
