package dev.stowage.functions.training;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The training run of a function image build ({@code functions/build-image-layer.sh}), and the
 * stand-in Kubernetes API of {@code bench/cold-start.sh}. JDK only, so it runs in the image with
 * the very JDK whose AOT cache (or CDS archive) it trains.
 *
 * <pre>
 * train FUNCTION WORKDIR -- COMMAND...  start COMMAND (a function JVM writing its AOT cache at exit)
 *                                       with --server.port and --stowage.kubernetes=true appended and
 *                                       KUBERNETES_MASTER set to the stand-in API; wait for readiness, send
 *                                       FUNCTION's training events, check the answers, stop it with
 *                                       SIGTERM and wait until it has exited (the cache is written then)
 * time FUNCTION WORKDIR -- COMMAND...   the same start; print the ms from process start to the 2xx
 *                                       answer to FUNCTION's first event; stop it
 * fake-api PORT                         serve the stand-in API until killed
 * event FUNCTION                        print FUNCTION's first event as {"headers": {...}, "body": "..."}
 * </pre>
 *
 * <p>The events need nothing outside the build: the API is {@link FakeKubeApi}, an inline backup
 * goes to a new repository under WORKDIR and fails at {@code pg_dump} (nothing listens on port 9),
 * an inline restore names a repository that does not exist. The first event of each function is
 * the cheapest that a real deployment answers with a 2xx (see {@link #events}).
 */
public final class Training {
    static final String PASSWORD_ENV = "STOWAGE_TRAINING_PASSWORD";

    private Training() {
    }

    /** One request and what its answer must be. */
    record Step(String description, String method, String path, Map<String, String> headers, String body,
                int minStatus, int maxStatus, String replyType) {
        static Step event(String description, String type, String data, String replyType) {
            return eventWithStatus(description, type, data, 200, 299, replyType);
        }

        static Step eventWithStatus(String description, String type, String data, int min, int max,
                                    String replyType) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Ce-Specversion", "1.0");
            headers.put("Ce-Id", "training-" + description.replace(' ', '-'));
            headers.put("Ce-Source", "/stowage/aot-training");
            headers.put("Ce-Type", type);
            headers.put("Content-Type", "application/json");
            return new Step(description, "POST", "/", headers, data, min, max, replyType);
        }

        static Step get(String path) {
            return new Step("GET " + path, "GET", path, Map.of(), null, 200, 200, null);
        }
    }

    /**
     * The events of one function. The first is the one {@code time} and {@code bench/cold-start.sh}
     * measure: a redelivery for a session that has already finished (pg-backup, restore,
     * post-backup: 200 without a reply, after reading the session through the API) or a PingSource
     * tick (scheduler: reads the configuration, lists its sessions, creates one and replies
     * {@code backup.requested}).
     */
    static List<Step> events(String function, Path work) {
        String repo = work.resolve("training-repo").toString();
        String inlineRepository = "\"repository\": {\"url\": \"" + repo + "\", \"password\": {\"env\": \""
                + PASSWORD_ENV + "\"}}";
        String unreachableDb = "\"postgres\": {\"host\": \"127.0.0.1\", \"port\": 9, \"database\": \"training\", "
                + "\"user\": \"postgres\"}";
        String doneSession = "{\"session\": {\"namespace\": \"demo\", \"name\": \"done\"}}";
        String report = "{\"session\": {\"namespace\": \"demo\", \"name\": \"done\"}, \"task\": \"pg-backup\", "
                + "\"repository\": \"s3:https://s3.example.com/bucket\", \"requestId\": \"/stowage/scheduler#1\", "
                + "\"stats\": {\"hostname\": \"host-0\", \"phase\": \"%s\", \"duration\": \"1.2s\", \"error\": %s, "
                + "\"snapshots\": []}}";
        return switch (function) {
            case "pg-backup" -> List.of(
                    Step.event("finished session", "dev.stowage.backup.requested", doneSession, null),
                    Step.event("inline backup", "dev.stowage.backup.requested",
                            "{" + inlineRepository + ", " + unreachableDb + ", \"tags\": [\"training\"]}",
                            "dev.stowage.backup.failed"),
                    Step.eventWithStatus("invalid request", "dev.stowage.backup.requested",
                            "{\"postgres\": {\"host\": \"x\"}}", 400, 400, null));
            case "restore" -> List.of(
                    Step.event("finished session", "dev.stowage.restore.requested", doneSession, null),
                    Step.event("inline restore", "dev.stowage.restore.requested",
                            "{" + inlineRepository + ", " + unreachableDb + ", \"snapshot\": \"latest\"}",
                            "dev.stowage.restore.failed"),
                    Step.eventWithStatus("invalid request", "dev.stowage.restore.requested",
                            "{\"postgres\": {\"host\": \"x\"}}", 400, 400, null));
            case "post-backup" -> List.of(
                    Step.event("finished session", "dev.stowage.backup.completed",
                            report.formatted("Succeeded", "null"), null),
                    Step.event("finished restore session", "dev.stowage.restore.failed",
                            report.formatted("Failed", "\"pg_restore exited with 1\""), null),
                    Step.eventWithStatus("invalid report", "dev.stowage.backup.completed",
                            "{\"session\": {\"namespace\": \"demo\", \"name\": \"done\"}}", 400, 400, null));
            case "scheduler" -> List.of(
                    Step.event("tick", "dev.knative.sources.ping",
                            "{\"backupConfiguration\": {\"namespace\": \"demo\", \"name\": \"nightly\"}}",
                            "dev.stowage.backup.requested"),
                    Step.event("configuration changed", "dev.knative.apiserver.resource.update",
                            "{\"kind\": \"BackupConfiguration\", \"apiVersion\": \"stowage.dev/v1alpha1\", "
                                    + "\"metadata\": {\"namespace\": \"demo\", \"name\": \"nightly\"}}", null),
                    Step.event("finished session changed", "dev.knative.apiserver.resource.update",
                            "{\"kind\": \"BackupSession\", \"apiVersion\": \"stowage.dev/v1alpha1\", "
                                    + "\"metadata\": {\"namespace\": \"demo\", \"name\": \"done\"}}", null),
                    Step.eventWithStatus("invalid tick", "dev.knative.sources.ping", "{}", 400, 400, null));
            default -> throw new IllegalArgumentException("unknown function " + function
                    + " (pg-backup, restore, post-backup, scheduler)");
        };
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("fake-api")) {
            FakeKubeApi api = FakeKubeApi.start(Integer.parseInt(args[1]));
            System.out.println("stand-in Kubernetes API on http://127.0.0.1:" + api.port());
            Thread.currentThread().join();
        } else if (args.length == 2 && args[0].equals("event")) {
            Step step = events(args[1], Path.of("/tmp")).get(0);
            StringBuilder json = new StringBuilder("{\"headers\": {");
            String sep = "";
            for (Map.Entry<String, String> h : step.headers().entrySet()) {
                json.append(sep).append(quote(h.getKey())).append(": ").append(quote(h.getValue()));
                sep = ", ";
            }
            System.out.println(json.append("}, \"body\": ").append(quote(step.body())).append('}'));
        } else if (args.length >= 5 && (args[0].equals("train") || args[0].equals("time")) && args[3].equals("--")) {
            List<String> command = new ArrayList<>(Arrays.asList(args).subList(4, args.length));
            Path work = Files.createDirectories(Path.of(args[2]).toAbsolutePath());
            System.exit(run(args[0].equals("train"), args[1], work, command));
        } else {
            System.err.println("usage: Training train|time FUNCTION WORKDIR -- COMMAND... | fake-api PORT"
                    + " | event FUNCTION");
            System.exit(2);
        }
    }

    private static int run(boolean train, String function, Path work, List<String> command) throws Exception {
        List<Step> steps = events(function, work);
        FakeKubeApi api = FakeKubeApi.start(0);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        command.add("--server.port=" + port);
        command.add("--stowage.kubernetes=true");
        Path log = work.resolve(function + (train ? "-training.log" : "-time.log"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        kubernetesEnvironment(pb.environment(), api.port());
        pb.environment().put(PASSWORD_ENV, "training only");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        URI base = URI.create("http://127.0.0.1:" + port);
        long start = System.nanoTime();
        Process process = pb.start();
        int failures = 0;
        try {
            if (!train) {
                HttpResponse<String> answer = untilAnswered(http, base, steps.get(0), process);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                boolean ok = check(steps.get(0), answer);
                System.out.println(function + ": first reply " + ms + " ms (HTTP " + answer.statusCode() + ")");
                return ok ? 0 : 1;
            }
            untilAnswered(http, base, Step.get("/actuator/health/readiness"), process);
            List<Step> all = new ArrayList<>(steps);
            all.add(Step.get("/actuator/health/liveness"));
            for (Step step : all) {
                HttpResponse<String> answer = send(http, base, step);
                if (!check(step, answer)) {
                    failures++;
                }
            }
            System.out.println(function + ": training events answered in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms since start");
        } catch (Exception e) {
            System.err.println(function + ": " + e.getMessage() + "; log: " + log);
            failures++;
        } finally {
            process.destroy(); // SIGTERM: graceful shutdown, then the JVM writes its cache
            if (!process.waitFor(20, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            api.stop();
        }
        if (failures > 0) {
            System.err.println("--- " + log);
            List<String> lines = Files.readAllLines(log);
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.err::println);
        }
        return failures == 0 ? 0 : 1;
    }

    /**
     * Points fabric8's client at the stand-in API as a pod's environment points it at the cluster
     * (no kubeconfig file is read; a pod has none), over plain HTTP.
     */
    static void kubernetesEnvironment(Map<String, String> env, int apiPort) {
        env.keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.equals("KUBECONFIG"));
        env.put("KUBERNETES_MASTER", "http://127.0.0.1:" + apiPort);
        env.put("KUBERNETES_NAMESPACE", "demo");
        env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    }

    private static boolean check(Step step, HttpResponse<String> answer) {
        String type = answer.headers().firstValue("ce-type").orElse(null);
        boolean ok = answer.statusCode() >= step.minStatus() && answer.statusCode() <= step.maxStatus()
                && (step.replyType() == null ? type == null : step.replyType().equals(type));
        System.out.println((ok ? "  ok   " : "  FAIL ") + step.description() + ": HTTP " + answer.statusCode()
                + (type != null ? " " + type : "") + (ok ? "" : " " + answer.body()));
        return ok;
    }

    /** Sends {@code step} every 10 ms until the function answers it (or the process exits). */
    private static HttpResponse<String> untilAnswered(HttpClient http, URI base, Step step, Process process)
            throws Exception {
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the function exited with " + process.exitValue());
            }
            if (step.method().equals("GET")) {
                try {
                    HttpResponse<String> answer = send(http, base, step);
                    if (answer.statusCode() == 200) {
                        return answer;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
            } else if (listening(base)) {
                return send(http, base, step);
            }
            Thread.sleep(10);
        }
    }

    private static boolean listening(URI base) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpResponse<String> send(HttpClient http, URI base, Step step) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(step.path())).timeout(Duration.ofMinutes(5));
        step.headers().forEach(request::header);
        request.method(step.method(), step.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(step.body()));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
