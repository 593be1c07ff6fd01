package dev.stowage.functions.training;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in Kubernetes API over plain HTTP without authentication: just enough for the training
 * events. It answers from a fixed set of objects in namespace {@code demo} and keeps nothing:
 * <ul>
 *   <li>BackupSession {@code done} and RestoreSession {@code done}, both finished;</li>
 *   <li>BackupConfiguration {@code nightly} (schedule, task, repository, target, retention);</li>
 *   <li>any other collection lists empty, any other object is a 404 Status;</li>
 *   <li>a create (POST) or update (PUT, PATCH) is echoed back with the fields the API server sets.</li>
 * </ul>
 */
final class FakeKubeApi {
    private static final String NS = "demo";
    private static final String GROUP = "/apis/stowage.dev/v1alpha1/namespaces/" + NS;
    private static final String TARGET = "\"target\": {\"ref\": {\"apiVersion\": \"appcatalog.appscode.com/v1alpha1\", "
            + "\"kind\": \"AppBinding\", \"name\": \"db\"}}";
    private static final Map<String, String> OBJECTS = Map.of(
            GROUP + "/backupsessions/done", """
                    {"apiVersion": "stowage.dev/v1alpha1", "kind": "BackupSession",
                     "metadata": {"name": "done", "namespace": "demo", "uid": "5e55104e-0000-4000-8000-000000000001",
                                  "resourceVersion": "11", "generation": 1,
                                  "labels": {"stowage.dev/backup-configuration": "nightly"}},
                     "spec": {"invoker": {"apiGroup": "stowage.dev", "kind": "BackupConfiguration", "name": "nightly"}},
                     "status": {"phase": "Succeeded", "sessionDuration": "1.2s"}}""",
            GROUP + "/restoresessions/done", """
                    {"apiVersion": "stowage.dev/v1alpha1", "kind": "RestoreSession",
                     "metadata": {"name": "done", "namespace": "demo", "uid": "5e55104e-0000-4000-8000-000000000002",
                                  "resourceVersion": "12", "generation": 1},
                     "spec": {"repository": {"name": "repo"}, %s},
                     "status": {"phase": "Succeeded", "sessionDuration": "2.5s"}}""".formatted(TARGET),
            GROUP + "/backupconfigurations/nightly", """
                    {"apiVersion": "stowage.dev/v1alpha1", "kind": "BackupConfiguration",
                     "metadata": {"name": "nightly", "namespace": "demo", "uid": "c0f16000-0000-4000-8000-000000000003",
                                  "resourceVersion": "13", "generation": 1},
                     "spec": {"schedule": "0 3 * * *", "task": {"name": "pg-backup"}, "repository": {"name": "repo"},
                              %s, "retentionPolicy": {"name": "keep-7", "keepLast": 7, "prune": true}}}"""
                    .formatted(TARGET));
    /** /api/v1/namespaces/NS/PLURAL or /apis/GROUP/VERSION/namespaces/NS/PLURAL */
    private static final Pattern COLLECTION = Pattern.compile("/(api/v1|apis/[^/]+/[^/]+)/namespaces/[^/]+/([^/]+)");
    private static final Pattern RESOURCE_VERSION = Pattern.compile("\"resourceVersion\"\\s*:\\s*\"[^\"]*\"");
    private static final Pattern METADATA = Pattern.compile("\"metadata\"\\s*:\\s*\\{");

    private final HttpServer server;
    private final AtomicLong version = new AtomicLong(100);

    private FakeKubeApi(HttpServer server) {
        this.server = server;
    }

    static FakeKubeApi start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        FakeKubeApi api = new FakeKubeApi(server);
        server.createContext("/", api::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-kube-api");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return api;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            switch (exchange.getRequestMethod()) {
                case "GET" -> {
                    Matcher collection = COLLECTION.matcher(path);
                    if (OBJECTS.containsKey(path)) {
                        send(exchange, 200, OBJECTS.get(path));
                    } else if (collection.matches()) {
                        String apiVersion = collection.group(1).equals("api/v1") ? "v1"
                                : collection.group(1).substring("apis/".length());
                        send(exchange, 200, "{\"apiVersion\": \"" + apiVersion + "\", \"kind\": \"List\", "
                                + "\"metadata\": {\"resourceVersion\": \"" + version.get() + "\"}, \"items\": []}");
                    } else {
                        notFound(exchange, path);
                    }
                }
                case "POST" -> send(exchange, 201, METADATA.matcher(body).replaceFirst(Matcher.quoteReplacement(
                        "\"metadata\": {\"uid\": \"" + UUID.randomUUID() + "\", \"resourceVersion\": \""
                                + version.incrementAndGet() + "\", \"generation\": 1, "
                                + "\"creationTimestamp\": \"2026-01-01T00:00:00Z\", ")));
                case "PUT", "PATCH" -> {
                    String updated = RESOURCE_VERSION.matcher(body).replaceFirst(
                            "\"resourceVersion\": \"" + version.incrementAndGet() + "\"");
                    send(exchange, 200, updated);
                }
                default -> notFound(exchange, path);
            }
        }
    }

    private static void notFound(HttpExchange exchange, String path) throws IOException {
        send(exchange, 404, "{\"kind\": \"Status\", \"apiVersion\": \"v1\", \"metadata\": {}, \"status\": \"Failure\", "
                + "\"message\": " + Training.quote(path + " not found") + ", \"reason\": \"NotFound\", \"code\": 404}");
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
