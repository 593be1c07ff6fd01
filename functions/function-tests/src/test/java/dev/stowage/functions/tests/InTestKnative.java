package dev.stowage.functions.tests;

import static dev.stowage.functions.tests.Manifests.EVENTING;
import static dev.stowage.functions.tests.Manifests.FLOWS;
import static dev.stowage.functions.tests.Manifests.SERVING;
import static dev.stowage.functions.tests.Manifests.SINKS;
import static dev.stowage.functions.tests.Manifests.SOURCES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.engine.event.StructuredEvents;
import dev.stowage.functions.tests.KnativeRules.Ref;
import dev.stowage.functions.tests.Manifests.Doc;
import io.fabric8.knative.sources.v1.PingSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;

/**
 * Knative Eventing as the manifests configure it, in the test: the Broker's ingress and Trigger
 * filters, Sequences step by step, JobSinks, PingSource ticks and ApiServerSource events, with
 * Knative's delivery rules (retries by {@code delivery}, which statuses are retried, dead-letter
 * sinks with the {@code knativeerror*} extensions, replies back to the Broker). Only the routing
 * comes from the manifests: change a Trigger filter and events go elsewhere.
 *
 * <p>Deliveries run one at a time, in order, when {@link #drain()} is called; backoff pauses are
 * recorded, not waited for.
 */
final class InTestKnative implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CONTEXT = Set.of("specversion", "id", "source", "type", "subject", "time",
            "datacontenttype", "dataschema");
    /** Where the ApiServerSource's events say they come from (rest.Config.Host). */
    static final String API_SERVER = "https://10.96.0.1:443";

    /** One HTTP delivery attempt (or acceptance by a Sequence or JobSink), in the order they happened. */
    record Delivery(String route, String destination, String type, int status, String reply, Duration backoff) {
        @Override
        public String toString() {
            return route + " -> " + destination + ": " + type + " " + status + (reply != null ? " reply " + reply : "")
                    + (backoff != null && !backoff.isZero() ? " after " + backoff : "");
        }
    }

    /**
     * A Job a JobSink created: the container to run, as which account, with which environment
     * (the container's, K_EVENT_PATH added as the JobSink adds it, K_SINK pointed at this test's
     * Broker ingress), and the event it got.
     */
    record JobRun(Doc jobSink, String name, JsonNode container, String serviceAccount, Map<String, String> env,
                  CloudEvent event) {
    }

    private final Manifests m;
    private final KnativeRules refs;
    private final Map<String, URI> services;
    private final Function<JobRun, Integer> jobRunner;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ConcurrentLinkedDeque<Runnable> work = new ConcurrentLinkedDeque<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<String> lost = new ArrayList<>();
    private final Map<String, JobRun> jobs = new LinkedHashMap<>();
    private final List<CloudEvent> published = new ArrayList<>();
    private final HttpServer ingress;
    private final Path jobDirs;
    private int steps;

    /**
     * @param services  URI of the running function for each Knative Service, by name
     * @param jobRunner runs a JobSink's Job to its end; its exit code
     */
    InTestKnative(Manifests manifests, Path knativeCrds, Map<String, URI> services, Function<JobRun, Integer> jobRunner,
                  Path jobDirs) throws IOException {
        this.m = manifests;
        this.refs = new KnativeRules(manifests, knativeCrds);
        this.services = services;
        this.jobRunner = jobRunner;
        this.jobDirs = jobDirs;
        this.ingress = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ingress.createContext("/", exchange -> {
            String[] path = exchange.getRequestURI().getPath().replaceAll("^/+", "").split("/");
            int status;
            try {
                Map<String, String> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
                CloudEvent event = parse(headers, exchange.getRequestBody().readAllBytes());
                if (path.length == 2 && m.find(EVENTING, "Broker", path[0], path[1]).isPresent() && event != null) {
                    work.add(() -> route(path[0], path[1], event));
                    status = 202;
                } else {
                    status = event == null ? 400 : 404;
                }
            } catch (RuntimeException e) {
                status = 400;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        ingress.start();
    }

    /** What a JobSink Job's K_SINK of the cluster (a Broker's ingress) is in this test. */
    String ingressUrl(String clusterUrl) {
        Doc broker = refs.brokerOfIngress(clusterUrl)
                .orElseThrow(() -> new AssertionError(clusterUrl + " is not the ingress of a Broker of the manifests"));
        return "http://127.0.0.1:" + ingress.getAddress().getPort() + "/" + broker.namespace() + "/" + broker.name();
    }

    // ------------------------------------------------------------------ sources

    /** A tick of a PingSource (as the scheduler created it), sent where its sink says. */
    void tick(PingSource ping, Instant at) {
        var spec = ping.getSpec();
        byte[] data = spec.getDataBase64() != null ? Base64.getDecoder().decode(spec.getDataBase64())
                : spec.getData() == null ? new byte[0] : spec.getData().getBytes(StandardCharsets.UTF_8);
        Map<String, String> extensions = spec.getCeOverrides() == null || spec.getCeOverrides().getExtensions() == null
                ? Map.of() : spec.getCeOverrides().getExtensions();
        String ns = ping.getMetadata().getNamespace();
        CloudEvent event = new CloudEvent(UUID.randomUUID().toString(),
                "/apis/v1/namespaces/" + ns + "/pingsources/" + ping.getMetadata().getName(), EventTypes.PING, null,
                at.toString(), spec.getContentType(), extensions, data);
        var sink = spec.getSink() == null ? null : spec.getSink().getRef();
        if (sink == null) {
            lost.add("PingSource " + ns + "/" + ping.getMetadata().getName() + " has no sink ref");
            return;
        }
        send("PingSource " + ns + "/" + ping.getMetadata().getName(), new Ref("PingSource sink", sink.getApiVersion(),
                sink.getKind(), sink.getName(), sink.getNamespace() != null ? sink.getNamespace() : ns), event);
    }

    /**
     * What every ApiServerSource watching {@code resource}'s kind sends for it (Reference mode, as
     * knative eventing's pkg/adapter/apiserver/events builds the event).
     */
    void apiServer(String verb, HasMetadata resource) {
        for (Doc source : m.of(SOURCES, "ApiServerSource")) {
            boolean watched = false;
            for (JsonNode r : source.spec().path("resources")) {
                watched |= r.path("apiVersion").asText().equals(resource.getApiVersion())
                        && r.path("kind").asText().equals(resource.getKind());
            }
            if (!watched) {
                continue;
            }
            String ns = resource.getMetadata().getNamespace();
            String name = resource.getMetadata().getName();
            Map<String, String> ref = new LinkedHashMap<>();
            ref.put("kind", resource.getKind());
            ref.put("namespace", ns);
            ref.put("name", name);
            ref.put("apiVersion", resource.getApiVersion());
            CloudEvent event;
            try {
                event = new CloudEvent(UUID.randomUUID().toString(), API_SERVER, "dev.knative.apiserver.ref." + verb,
                        "/apis/" + resource.getApiVersion() + "/namespaces/" + ns + "/"
                                + resource.getKind().toLowerCase(Locale.ROOT) + "s/" + name,
                        Instant.now().toString(), "application/json",
                        Map.of("kind", resource.getKind(), "apiversion", resource.getApiVersion(), "name", name,
                                "namespace", ns), JSON.writeValueAsBytes(ref));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            send(source.toString(), KnativeRules.ref(source, "sink", source.spec().path("sink")), event);
        }
    }

    /** A source's send: to a Broker's ingress (sources retry briefly, then the event is lost). */
    private void send(String from, Ref sink, CloudEvent event) {
        Optional<Doc> target = refs.resolve(sink);
        if (target.isEmpty() || !target.get().is(EVENTING, "Broker")) {
            lost.add(from + ": sink " + sink.kind() + " " + sink.namespace() + "/" + sink.name()
                    + " is not a Broker of the manifests; " + event + " lost");
            return;
        }
        work.add(() -> route(target.get().namespace(), target.get().name(), event));
    }

    // ------------------------------------------------------------------ the Broker

    /** Runs every delivery until nothing is left to do (replies, Sequence steps, Jobs included). */
    void drain() {
        Runnable next;
        while ((next = work.poll()) != null) {
            if (++steps > 500) {
                throw new AssertionError("more than 500 deliveries: an event loop? last: "
                        + deliveries.subList(Math.max(0, deliveries.size() - 10), deliveries.size()));
            }
            next.run();
        }
    }

    /** Sends {@code event} to a Broker's ingress, as any client (or a redelivery) would. */
    void publish(String namespace, String broker, CloudEvent event) {
        m.get(EVENTING, "Broker", namespace, broker);
        work.add(() -> route(namespace, broker, event));
    }

    private void route(String namespace, String broker, CloudEvent event) {
        Doc brokerDoc = m.get(EVENTING, "Broker", namespace, broker);
        published.add(event);
        List<Doc> triggers = m.where(d -> d.is(EVENTING, "Trigger") && namespace.equals(d.namespace())
                        && broker.equals(d.spec().path("broker").asText()) && matches(d, event)).stream()
                .sorted(Comparator.comparing(Doc::name)).toList();
        if (triggers.isEmpty()) {
            lost.add("no Trigger of Broker " + namespace + "/" + broker + " matches " + event);
        }
        for (Doc t : triggers) {
            JsonNode delivery = t.spec().has("delivery") ? t.spec().get("delivery") : brokerDoc.spec().path("delivery");
            Optional<CloudEvent> reply = dispatch("Trigger " + t.name(), t,
                    KnativeRules.ref(t, "subscriber", t.spec().path("subscriber")), event, delivery);
            // the MT broker sends a subscriber's reply back to the Broker's ingress
            reply.ifPresent(r -> work.add(() -> route(namespace, broker, r)));
        }
    }

    /** Whether a Trigger's filter (legacy {@code filter.attributes} or {@code filters}) takes the event. */
    static boolean matches(Doc trigger, CloudEvent event) {
        JsonNode filters = trigger.spec().path("filters");
        if (filters.isArray() && !filters.isEmpty()) {
            for (JsonNode f : filters) {
                if (!matchesFilter(f, event)) {
                    return false;
                }
            }
            return true;
        }
        var it = trigger.spec().path("filter").path("attributes").fields();
        while (it.hasNext()) {
            var e = it.next();
            String value = attribute(event, e.getKey());
            // Knative's legacy filter: "" matches any value
            if (!e.getValue().asText().isEmpty() && !e.getValue().asText().equals(value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesFilter(JsonNode f, CloudEvent event) {
        String dialect = f.fieldNames().next();
        JsonNode arg = f.get(dialect);
        switch (dialect) {
            case "exact", "prefix", "suffix" -> {
                var e = arg.fields().next();
                String value = attribute(event, e.getKey());
                String want = e.getValue().asText();
                return value != null && switch (dialect) {
                    case "exact" -> value.equals(want);
                    case "prefix" -> value.startsWith(want);
                    default -> value.endsWith(want);
                };
            }
            case "all" -> {
                for (JsonNode g : arg) {
                    if (!matchesFilter(g, event)) {
                        return false;
                    }
                }
                return true;
            }
            case "any" -> {
                for (JsonNode g : arg) {
                    if (matchesFilter(g, event)) {
                        return true;
                    }
                }
                return false;
            }
            case "not" -> {
                return !matchesFilter(arg, event);
            }
            default -> throw new AssertionError("filter dialect " + dialect + " is not reproduced here");
        }
    }

    static String attribute(CloudEvent e, String name) {
        return switch (name) {
            case "specversion" -> CloudEvent.SPEC_VERSION;
            case "id" -> e.id();
            case "source" -> e.source();
            case "type" -> e.type();
            case "subject" -> e.subject();
            case "time" -> e.time();
            case "datacontenttype" -> e.dataContentType();
            default -> e.extension(name);
        };
    }

    // ------------------------------------------------------------------ delivery

    private record Attempt(int status, byte[] body, Optional<CloudEvent> reply) {
    }

    /**
     * Delivers as Knative's dispatcher does: the first attempt and {@code retry} more on 5xx, 404,
     * 408, 409, 429 or no response; then, if the delivery has one, the event with the knativeerror*
     * extensions to the dead-letter sink (same retries, its answer discarded). The reply of a
     * successful delivery, if any.
     */
    private Optional<CloudEvent> dispatch(String route, Doc owner, Ref destination, CloudEvent event,
                                          JsonNode delivery) {
        int retries = delivery.path("retry").asInt(0);
        Duration backoff = delivery.has("backoffDelay") ? Duration.parse(delivery.get("backoffDelay").asText())
                : Duration.ZERO;
        String policy = delivery.path("backoffPolicy").asText("exponential");
        Duration timeout = delivery.has("timeout") ? Duration.parse(delivery.get("timeout").asText())
                : Duration.ofMinutes(30);
        Attempt last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            // go-retryablehttp's wait before retry i (0-based): delay * 2^i, or delay * i for linear
            Duration wait = attempt == 0 ? Duration.ZERO : policy.equals("linear")
                    ? backoff.multipliedBy(attempt - 1) : backoff.multipliedBy(1L << (attempt - 1));
            last = deliver(destination, event, timeout);
            deliveries.add(new Delivery(route, describe(destination), event.type(), last.status(),
                    last.reply().map(CloudEvent::type).orElse(null), wait));
            if (last.status() / 100 == 2) {
                return last.reply();
            }
            if (!retryable(last.status())) {
                break;
            }
        }
        if (delivery.has("deadLetterSink")) {
            Ref dls = KnativeRules.ref(owner, "deadLetterSink", delivery.get("deadLetterSink"));
            Map<String, String> ext = new HashMap<>(event.extensions());
            ext.put(EventTypes.DEAD_LETTER_DESTINATION, clusterUrl(destination));
            ext.put(EventTypes.DEAD_LETTER_CODE, Integer.toString(last.status()));
            String data = Base64.getEncoder().encodeToString(last.body());
            ext.put(EventTypes.DEAD_LETTER_DATA, data.length() > 1024 ? data.substring(0, 1024) : data);
            CloudEvent dead = new CloudEvent(event.id(), event.source(), event.type(), event.subject(), event.time(),
                    event.dataContentType(), ext, event.data());
            for (int attempt = 0; attempt <= retries; attempt++) {
                Attempt a = deliver(dls, dead, timeout);
                deliveries.add(new Delivery("dead letter of " + route, describe(dls), dead.type(), a.status(),
                        a.reply().map(CloudEvent::type).orElse(null), null));
                if (a.status() / 100 == 2 || !retryable(a.status())) {
                    if (a.status() / 100 != 2) {
                        lost.add(route + ": dead-letter sink refused " + dead);
                    }
                    return Optional.empty();
                }
            }
            lost.add(route + ": dead-letter sink failed for " + dead);
            return Optional.empty();
        }
        lost.add(route + ": " + event + " dropped after " + (retries + 1) + " attempts (HTTP " + last.status() + ")");
        return Optional.empty();
    }

    static boolean retryable(int status) {
        return status <= 0 || status >= 500 || status == 404 || status == 408 || status == 409 || status == 429;
    }

    private static String describe(Ref r) {
        return r.kind() + " " + r.name();
    }

    /** The address Knative would have resolved the reference to. */
    private String clusterUrl(Ref r) {
        return switch (r.kind()) {
            case "Service" -> "http://" + r.name() + "." + r.namespace() + ".svc.cluster.local";
            case "JobSink" -> "http://job-sink.knative-eventing.svc.cluster.local/" + r.namespace() + "/" + r.name();
            default -> "http://" + r.name() + "-kn-" + r.kind().toLowerCase(Locale.ROOT) + "." + r.namespace()
                    + ".svc.cluster.local";
        };
    }

    private Attempt deliver(Ref destination, CloudEvent event, Duration timeout) {
        Doc target = refs.resolve(destination)
                .orElseThrow(() -> new AssertionError(destination.where() + " does not resolve"));
        if (target.is(SERVING, "Service")) {
            URI uri = services.get(target.name());
            if (uri == null) {
                throw new AssertionError("no function runs for " + target);
            }
            return post(uri, event, timeout);
        }
        if (target.is(FLOWS, "Sequence")) {
            // the Sequence's first channel accepts the event; its steps run as deliveries of their own
            work.add(() -> runSequence(target, event));
            return new Attempt(202, new byte[0], Optional.empty());
        }
        if (target.is(SINKS, "JobSink")) {
            return jobSink(target, event);
        }
        if (target.is(EVENTING, "Broker")) {
            work.add(() -> route(target.namespace(), target.name(), event));
            return new Attempt(202, new byte[0], Optional.empty());
        }
        throw new AssertionError("cannot deliver to " + target);
    }

    private void runSequence(Doc sequence, CloudEvent event) {
        CloudEvent current = event;
        int i = 0;
        for (JsonNode step : sequence.spec().path("steps")) {
            Optional<CloudEvent> reply = dispatch("Sequence " + sequence.name() + " step " + i, sequence,
                    KnativeRules.ref(sequence, "step " + i, step), current, step.path("delivery"));
            if (reply.isEmpty()) {
                return; // no event for the next channel
            }
            current = reply.get();
            i++;
        }
        if (sequence.spec().has("reply")) {
            Ref reply = KnativeRules.ref(sequence, "reply", sequence.spec().get("reply"));
            deliver(reply, current, Duration.ofMinutes(1));
        } else {
            lost.add("Sequence " + sequence.name() + " has no reply; dropped " + current);
        }
    }

    /** Knative's JobSink: one Job per (source, id), answered 202 with a Location. */
    private Attempt jobSink(Doc sink, CloudEvent event) {
        String jobName = sink.name() + "-" + md5(event.source() + "-" + event.id()).substring(0, 12);
        if (!jobs.containsKey(jobName)) {
            JsonNode pod = sink.spec().path("job").path("spec").path("template").path("spec");
            try {
                Path dir = Files.createDirectories(jobDirs.resolve(jobName));
                Files.write(dir.resolve("event"), StructuredEvents.format(event));
                JsonNode container = pod.path("containers").get(0);
                Map<String, String> env = new HashMap<>(KnativeRules.env(container));
                if (env.containsKey("K_SINK")) {
                    env.put("K_SINK", ingressUrl(env.get("K_SINK")));
                }
                env.put("K_EVENT_PATH", dir.toString());
                JobRun run = new JobRun(sink, jobName, container, pod.path("serviceAccountName").asText(), env, event);
                jobs.put(jobName, run);
                work.add(() -> runJob(run));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Attempt(202, new byte[0], Optional.empty());
    }

    private void runJob(JobRun run) {
        JsonNode jobSpec = run.jobSink().spec().path("job").path("spec");
        int backoffLimit = jobSpec.path("backoffLimit").asInt(6);
        Set<Integer> failJob = new java.util.HashSet<>();
        for (JsonNode rule : jobSpec.path("podFailurePolicy").path("rules")) {
            if (rule.path("action").asText().equals("FailJob")) {
                rule.path("onExitCodes").path("values").forEach(v -> failJob.add(v.asInt()));
            }
        }
        for (int failures = 0; ; ) {
            int exit = jobRunner.apply(run);
            deliveries.add(new Delivery("Job " + run.name(), "container " + run.container().path("name").asText(),
                    run.event().type(), exit, null, null));
            if (exit == 0) {
                return;
            }
            if (failJob.contains(exit) || ++failures > backoffLimit) {
                lost.add("Job " + run.name() + " failed (exit " + exit + ") for " + run.event());
                return;
            }
        }
    }

    private Attempt post(URI uri, CloudEvent event, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Ce-Specversion", "1.0").header("Ce-Id", event.id()).header("Ce-Source", event.source())
                .header("Ce-Type", event.type()).header("Prefer", "reply")
                .header("Content-Type", event.dataContentType() != null ? event.dataContentType() : "application/json");
        if (event.subject() != null) {
            b.header("Ce-Subject", event.subject());
        }
        if (event.time() != null) {
            b.header("Ce-Time", event.time());
        }
        event.extensions().forEach((k, v) -> b.header("Ce-" + Character.toUpperCase(k.charAt(0)) + k.substring(1), v));
        try {
            HttpResponse<byte[]> r = http.send(b.POST(HttpRequest.BodyPublishers.ofByteArray(event.data())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> headers = new HashMap<>();
            r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            if (r.statusCode() / 100 != 2) {
                return new Attempt(r.statusCode(), r.body(), Optional.empty());
            }
            CloudEvent reply = parse(headers, r.body());
            if (reply == null && r.body().length > 0) {
                // the broker's filter: "The response MUST be either empty or a valid CloudEvent"
                return new Attempt(502, r.body(), Optional.empty());
            }
            return new Attempt(r.statusCode(), r.body(), Optional.ofNullable(reply));
        } catch (IOException e) {
            return new Attempt(0, e.toString().getBytes(StandardCharsets.UTF_8), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A CloudEvent in binary or structured mode, or null if the message is none. */
    private static CloudEvent parse(Map<String, String> headers, byte[] body) {
        String contentType = headers.get("content-type");
        if (headers.containsKey("ce-specversion")) {
            Map<String, String> ext = new HashMap<>();
            headers.forEach((k, v) -> {
                if (k.startsWith("ce-") && !CONTEXT.contains(k.substring(3))) {
                    ext.put(k.substring(3), v);
                }
            });
            return new CloudEvent(headers.get("ce-id"), headers.get("ce-source"), headers.get("ce-type"),
                    headers.get("ce-subject"), headers.get("ce-time"), contentType, ext, body);
        }
        if (contentType != null && contentType.startsWith(StructuredEvents.MEDIA_TYPE)) {
            return StructuredEvents.parse(body);
        }
        return null;
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ what happened

    /** Every delivery attempt so far, in order. */
    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The deliveries since {@code mark} ({@link #mark()}). */
    List<Delivery> deliveriesSince(int mark) {
        return List.copyOf(deliveries.subList(mark, deliveries.size()));
    }

    int mark() {
        return deliveries.size();
    }

    /** Events nobody took: no Trigger matched, delivery failed without a dead-letter sink, unresolvable sinks. */
    List<String> lost() {
        return List.copyOf(lost);
    }

    Map<String, JobRun> jobs() {
        return Map.copyOf(jobs);
    }

    /** Every event a Broker received, in order. */
    List<CloudEvent> published() {
        return List.copyOf(published);
    }

    @Override
    public void close() {
        ingress.stop(0);
    }
}
