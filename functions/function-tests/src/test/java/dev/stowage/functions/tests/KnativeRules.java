package dev.stowage.functions.tests;

import static dev.stowage.functions.tests.Manifests.EVENTING;
import static dev.stowage.functions.tests.Manifests.FLOWS;
import static dev.stowage.functions.tests.Manifests.RBAC;
import static dev.stowage.functions.tests.Manifests.SERVING;
import static dev.stowage.functions.tests.Manifests.SINKS;
import static dev.stowage.functions.tests.Manifests.SOURCES;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.functions.tests.Manifests.Doc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Knative's admission webhooks and our own conventions require of the manifests and the CRD
 * schemas cannot say. Each method returns the violations it finds, naming the document.
 */
final class KnativeRules {
    /** CloudEvents extension names (and Knative's {@code validateExtensionName}). */
    static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]+");
    /** The autoscaling annotations Knative Serving knows (pkg/apis/autoscaling/register.go). */
    static final Set<String> AUTOSCALING_KEYS = Set.of("class", "min-scale", "max-scale", "initial-scale",
            "scale-down-delay", "metric", "target", "scale-to-zero-pod-retention-period",
            "metric-aggregation-algorithm", "window", "target-utilization-percentage", "target-burst-capacity",
            "panic-window-percentage", "panic-threshold-percentage", "activation-scale");
    static final String AUTOSCALING = "autoscaling.knative.dev/";
    static final String NAMESPACE = "stowage";
    static final String BROKER_INGRESS = "http://broker-ingress.knative-eventing.svc.cluster.local/";

    private final Manifests m;
    private final int maxRevisionTimeout;
    private final int maxContainerConcurrency;

    KnativeRules(Manifests manifests, Path knativeCrds) {
        this.m = manifests;
        String defaults = read(knativeCrds.resolve("serving/defaults.yaml"));
        this.maxRevisionTimeout = Integer.parseInt(example(defaults, "max-revision-timeout-seconds"));
        this.maxContainerConcurrency = Integer.parseInt(example(defaults, "container-concurrency-max-limit"));
    }

    int maxRevisionTimeout() {
        return maxRevisionTimeout;
    }

    /** Every rule. */
    List<String> all() {
        List<String> v = new ArrayList<>();
        v.addAll(extensionNames());
        v.addAll(triggerFilters());
        v.addAll(autoscalingOnRevisionTemplate());
        v.addAll(stringMetadata());
        v.addAll(secretVolumesReadOnly());
        v.addAll(timeouts());
        v.addAll(references());
        v.addAll(sinks());
        v.addAll(serviceAccounts());
        v.addAll(probesAndResources());
        v.addAll(namespaces());
        v.addAll(noStatus());
        return v;
    }

    // ------------------------------------------------------------------ CloudEvents attributes

    /** Filter attribute and ceOverrides extension names are lowercase letters and digits. */
    List<String> extensionNames() {
        List<String> v = new ArrayList<>();
        for (Doc t : m.of(EVENTING, "Trigger")) {
            t.spec().path("filter").path("attributes").fieldNames().forEachRemaining(n -> checkName(v, t, n));
            for (JsonNode f : t.spec().path("filters")) {
                filterAttributes(f).forEach(n -> checkName(v, t, n));
            }
        }
        for (Doc d : m.all()) {
            d.spec().path("ceOverrides").path("extensions").fieldNames().forEachRemaining(n -> checkName(v, d, n));
        }
        return v;
    }

    private static void checkName(List<String> v, Doc d, String name) {
        if (!EXTENSION_NAME.matcher(name).matches()) {
            v.add(d + ": attribute \"" + name + "\" is not lowercase letters and digits");
        }
    }

    /** Attribute names a {@code filters} entry tests, at any depth. */
    static List<String> filterAttributes(JsonNode filter) {
        List<String> names = new ArrayList<>();
        for (String dialect : List.of("exact", "prefix", "suffix")) {
            filter.path(dialect).fieldNames().forEachRemaining(names::add);
        }
        for (String group : List.of("all", "any")) {
            filter.path(group).forEach(f -> names.addAll(filterAttributes(f)));
        }
        if (filter.has("not")) {
            names.addAll(filterAttributes(filter.get("not")));
        }
        return names;
    }

    /**
     * Triggers use one of {@code filter}/{@code filters}; {@code filters} entries are the dialects
     * the flow test reproduces (exact, prefix, suffix, all, any, not: no CESQL), one per entry,
     * and exact/prefix/suffix test one attribute each (Knative's validation).
     */
    List<String> triggerFilters() {
        List<String> v = new ArrayList<>();
        for (Doc t : m.of(EVENTING, "Trigger")) {
            if (t.spec().has("filter") && t.spec().has("filters")) {
                v.add(t + ": has both filter and filters (filters wins, filter is ignored)");
            }
            if (!t.spec().has("filter") && !t.spec().has("filters")) {
                v.add(t + ": has no filter: it would take every event of the Broker");
            }
            for (JsonNode f : t.spec().path("filters")) {
                checkDialect(v, t, f);
            }
        }
        return v;
    }

    private static void checkDialect(List<String> v, Doc t, JsonNode f) {
        if (f.size() != 1) {
            v.add(t + ": a filters entry must have exactly one dialect, not " + f);
            return;
        }
        String dialect = f.fieldNames().next();
        switch (dialect) {
            case "exact", "prefix", "suffix" -> {
                if (f.get(dialect).size() != 1) {
                    v.add(t + ": " + dialect + " must test exactly one attribute, not " + f.get(dialect));
                }
            }
            case "all", "any" -> f.get(dialect).forEach(g -> checkDialect(v, t, g));
            case "not" -> checkDialect(v, t, f.get("not"));
            default -> v.add(t + ": filter dialect \"" + dialect + "\" is not used here (the flow test does not "
                    + "reproduce it)");
        }
    }

    // ------------------------------------------------------------------ Knative Serving

    /**
     * Autoscaling annotations belong on the revision template (on the Service's own metadata
     * Knative's webhook refuses them); every Service scales to zero with a retention period and a
     * bound on its scale; keys are ones Knative knows.
     */
    List<String> autoscalingOnRevisionTemplate() {
        List<String> v = new ArrayList<>();
        for (Doc s : m.of(SERVING, "Service")) {
            s.node().path("metadata").path("annotations").fieldNames().forEachRemaining(k -> {
                if (k.startsWith(AUTOSCALING)) {
                    v.add(s + ": " + k + " is on the Service's metadata; it belongs on spec.template.metadata");
                }
            });
            JsonNode annotations = s.spec().path("template").path("metadata").path("annotations");
            annotations.fieldNames().forEachRemaining(k -> {
                if (k.startsWith(AUTOSCALING) && !AUTOSCALING_KEYS.contains(k.substring(AUTOSCALING.length()))) {
                    v.add(s + ": unknown autoscaling annotation " + k);
                }
            });
            if (!"0".equals(annotations.path(AUTOSCALING + "min-scale").asText(null))) {
                v.add(s + ": spec.template annotation " + AUTOSCALING + "min-scale must be \"0\" (scale to zero)");
            }
            String retention = annotations.path(AUTOSCALING + "scale-to-zero-pod-retention-period").asText(null);
            if (retention == null || goDuration(retention).isEmpty() || goDuration(retention).get().isZero()
                    || goDuration(retention).get().compareTo(Duration.ofHours(1)) > 0) {
                v.add(s + ": spec.template needs a " + AUTOSCALING + "scale-to-zero-pod-retention-period (a Go "
                        + "duration above 0 and at most 1h, Knative's longest window), not " + retention);
            }
            String max = annotations.path(AUTOSCALING + "max-scale").asText(null);
            if (max == null || !max.matches("[1-9][0-9]*")) {
                v.add(s + ": spec.template needs a positive " + AUTOSCALING + "max-scale, not " + max);
            }
        }
        return v;
    }

    /** Label and annotation values are strings ({@code min-scale: 0} unquoted is refused by the API server). */
    List<String> stringMetadata() {
        List<String> v = new ArrayList<>();
        for (Doc d : m.all()) {
            checkStrings(v, d, d.node().path("metadata"), "metadata");
            checkStrings(v, d, d.spec().path("template").path("metadata"), "spec.template.metadata");
            checkStrings(v, d, d.spec().path("job").path("spec").path("template").path("metadata"),
                    "spec.job.spec.template.metadata");
        }
        return v;
    }

    private static void checkStrings(List<String> v, Doc d, JsonNode metadata, String where) {
        for (String field : List.of("labels", "annotations")) {
            metadata.path(field).fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    v.add(d + ": " + where + "." + field + "." + e.getKey() + " must be a string, not " + e.getValue());
                }
            });
        }
    }

    /** Secret, ConfigMap and projected volumes are mounted read-only (Knative refuses them otherwise). */
    List<String> secretVolumesReadOnly() {
        List<String> v = new ArrayList<>();
        for (Doc d : m.all()) {
            for (JsonNode pod : podSpecs(d)) {
                Map<String, String> types = new HashMap<>();
                for (JsonNode vol : pod.path("volumes")) {
                    for (String type : List.of("secret", "configMap", "projected")) {
                        if (vol.has(type)) {
                            types.put(vol.path("name").asText(), type);
                        }
                    }
                }
                for (JsonNode c : pod.path("containers")) {
                    for (JsonNode mount : c.path("volumeMounts")) {
                        String type = types.get(mount.path("name").asText());
                        if (type != null && !mount.path("readOnly").asBoolean(false)) {
                            v.add(d + ": " + type + " volume " + mount.path("name").asText() + " is mounted at "
                                    + mount.path("mountPath").asText() + " without readOnly: true");
                        }
                    }
                }
            }
        }
        return v;
    }

    /** The pod specs a document runs: a Knative Service's revision template, a JobSink's Job template. */
    static List<JsonNode> podSpecs(Doc d) {
        if (d.is(SERVING, "Service")) {
            return List.of(d.spec().path("template").path("spec"));
        }
        if (d.is(SINKS, "JobSink")) {
            return List.of(d.spec().path("job").path("spec").path("template").path("spec"));
        }
        return List.of();
    }

    /**
     * Request time: every Service sets timeoutSeconds within Knative's maximum
     * (max-revision-timeout-seconds of config-defaults), response-start and idle timeouts within it,
     * containerConcurrency within container-concurrency-max-limit; every delivery spec parses, and a
     * delivery to a Service waits at least as long as the Service may run (or the dispatcher would
     * give up and redeliver while the function still works); JobSink Jobs have a deadline.
     */
    List<String> timeouts() {
        List<String> v = new ArrayList<>();
        for (Doc s : m.of(SERVING, "Service")) {
            JsonNode spec = s.spec().path("template").path("spec");
            if (!spec.path("timeoutSeconds").isInt()) {
                v.add(s + ": no timeoutSeconds (the cluster default, 300 s, would apply silently)");
            } else {
                int timeout = spec.get("timeoutSeconds").asInt();
                if (timeout <= 0 || timeout > maxRevisionTimeout) {
                    v.add(s + ": timeoutSeconds " + timeout + " is not within 1.." + maxRevisionTimeout
                            + " (max-revision-timeout-seconds)");
                }
                for (String other : List.of("responseStartTimeoutSeconds", "idleTimeoutSeconds")) {
                    if (spec.has(other) && spec.get(other).asInt() > timeout) {
                        v.add(s + ": " + other + " is above timeoutSeconds");
                    }
                }
            }
            if (!spec.path("containerConcurrency").isInt() || spec.get("containerConcurrency").asInt() < 1
                    || spec.get("containerConcurrency").asInt() > maxContainerConcurrency) {
                v.add(s + ": containerConcurrency must be set within 1.." + maxContainerConcurrency);
            }
        }
        for (Delivery d : deliveries()) {
            JsonNode spec = d.spec();
            for (String field : List.of("timeout", "backoffDelay")) {
                if (spec.has(field) && isoDuration(spec.get(field).asText()).isEmpty()) {
                    v.add(d.where() + ": delivery." + field + " \"" + spec.get(field).asText()
                            + "\" is not an ISO-8601 duration");
                }
            }
            if (spec.has("backoffPolicy") && !Set.of("linear", "exponential").contains(spec.get("backoffPolicy").asText())) {
                v.add(d.where() + ": delivery.backoffPolicy must be linear or exponential");
            }
            if (spec.has("retry") && (!spec.get("retry").isInt() || spec.get("retry").asInt() < 0)) {
                v.add(d.where() + ": delivery.retry must be a non-negative integer");
            }
            Optional<Duration> timeout = spec.has("timeout") ? isoDuration(spec.get("timeout").asText()) : Optional.empty();
            Optional<Doc> service = d.subscriber().flatMap(this::resolve).filter(t -> t.is(SERVING, "Service"));
            if (timeout.isPresent() && service.isPresent()) {
                int runs = service.get().spec().path("template").path("spec").path("timeoutSeconds")
                        .asInt(maxRevisionTimeout);
                if (timeout.get().compareTo(Duration.ofSeconds(runs)) < 0) {
                    v.add(d.where() + ": delivery.timeout " + spec.get("timeout").asText() + " is shorter than "
                            + service.get() + "'s timeoutSeconds " + runs + ": the dispatcher would redeliver "
                            + "while the function still runs");
                }
            }
        }
        for (Doc j : m.of(SINKS, "JobSink")) {
            if (!j.spec().path("job").path("spec").path("activeDeadlineSeconds").isInt()) {
                v.add(j + ": the Job has no activeDeadlineSeconds");
            }
        }
        return v;
    }

    // ------------------------------------------------------------------ Eventing wiring

    /** A delivery spec and where it applies. */
    record Delivery(String where, JsonNode spec, Optional<Ref> subscriber) {
    }

    /** A destination reference as written, with the namespace it defaults to. */
    record Ref(String where, String apiVersion, String kind, String name, String namespace) {
        String group() {
            return apiVersion == null || !apiVersion.contains("/") ? "" : apiVersion.substring(0, apiVersion.indexOf('/'));
        }
    }

    /** Every delivery spec: Brokers, Triggers (to their subscriber), Sequence steps (to the step). */
    List<Delivery> deliveries() {
        List<Delivery> out = new ArrayList<>();
        for (Doc b : m.of(EVENTING, "Broker")) {
            if (b.spec().has("delivery")) {
                out.add(new Delivery(b.toString(), b.spec().get("delivery"), Optional.empty()));
            }
        }
        for (Doc t : m.of(EVENTING, "Trigger")) {
            if (t.spec().has("delivery")) {
                out.add(new Delivery(t.toString(), t.spec().get("delivery"),
                        Optional.of(ref(t, "subscriber", t.spec().path("subscriber")))));
            }
        }
        for (Doc s : m.of(FLOWS, "Sequence")) {
            int i = 0;
            for (JsonNode step : s.spec().path("steps")) {
                if (step.has("delivery")) {
                    out.add(new Delivery(s + " step " + i, step.get("delivery"), Optional.of(ref(s, "step " + i, step))));
                }
                i++;
            }
        }
        return out;
    }

    static Ref ref(Doc owner, String where, JsonNode destination) {
        JsonNode r = destination.path("ref");
        return new Ref(owner + " " + where, r.path("apiVersion").asText(null), r.path("kind").asText(null),
                r.path("name").asText(null), r.path("namespace").asText(owner.namespace()));
    }

    /** Every destination reference: subscribers, steps, replies, dead-letter sinks, source sinks. */
    List<Ref> refs() {
        List<Ref> out = new ArrayList<>();
        for (Doc d : m.all()) {
            JsonNode spec = d.spec();
            if (d.is(EVENTING, "Trigger")) {
                out.add(ref(d, "subscriber", spec.path("subscriber")));
            }
            if (d.is(FLOWS, "Sequence")) {
                int i = 0;
                for (JsonNode step : spec.path("steps")) {
                    out.add(ref(d, "step " + i, step));
                    if (step.path("delivery").has("deadLetterSink")) {
                        out.add(ref(d, "step " + i + " deadLetterSink", step.path("delivery").path("deadLetterSink")));
                    }
                    i++;
                }
                if (spec.has("reply")) {
                    out.add(ref(d, "reply", spec.path("reply")));
                }
            }
            if (spec.path("delivery").has("deadLetterSink")) {
                out.add(ref(d, "deadLetterSink", spec.path("delivery").path("deadLetterSink")));
            }
            if (spec.has("sink")) {
                out.add(ref(d, "sink", spec.path("sink")));
            }
        }
        return out;
    }

    /** The document a reference names, if the manifests have it. */
    Optional<Doc> resolve(Ref r) {
        if (r.name() == null || r.kind() == null) {
            return Optional.empty();
        }
        return m.all().stream().filter(d -> r.kind().equals(d.kind()) && r.name().equals(d.name())
                && r.apiVersion() != null && r.apiVersion().equals(d.apiVersion())
                && (r.namespace() == null || r.namespace().equals(d.namespace()))).findFirst();
    }

    /**
     * Every Trigger's Broker exists; every subscriber, Sequence step, reply, dead-letter sink and
     * source sink is a {@code ref} (no URIs: the test could not follow them) to a Service, Sequence,
     * JobSink or Broker in the manifests, with the apiVersion it has there.
     */
    List<String> references() {
        List<String> v = new ArrayList<>();
        for (Doc t : m.of(EVENTING, "Trigger")) {
            String broker = t.spec().path("broker").asText(null);
            if (broker == null || m.find(EVENTING, "Broker", t.namespace(), broker).isEmpty()) {
                v.add(t + ": Broker " + broker + " does not exist in " + t.namespace());
            }
        }
        Set<String> targets = Set.of("Service", "Sequence", "JobSink", "Broker");
        for (Ref r : refs()) {
            if (r.name() == null) {
                v.add(r.where() + ": not a ref (URIs cannot be checked against the manifests)");
            } else if (!targets.contains(r.kind())) {
                v.add(r.where() + ": refers to a " + r.kind() + ", not a Service, Sequence, JobSink or Broker");
            } else if (resolve(r).isEmpty()) {
                v.add(r.where() + ": " + r.apiVersion() + " " + r.kind() + " " + r.namespace() + "/" + r.name()
                        + " does not exist in the manifests");
            }
        }
        for (Doc s : m.of(FLOWS, "Sequence")) {
            if (s.spec().path("steps").isEmpty()) {
                v.add(s + ": has no steps");
            }
        }
        return v;
    }

    /**
     * Where events leave a function other than as replies: the scheduler's PingSources
     * (STOWAGE_SCHEDULER_BROKER[_NAMESPACE]) and the JobSink Jobs' replies (K_SINK) go to a Broker
     * of the manifests.
     */
    List<String> sinks() {
        List<String> v = new ArrayList<>();
        for (Doc d : m.all()) {
            for (JsonNode pod : podSpecs(d)) {
                for (JsonNode c : pod.path("containers")) {
                    Map<String, String> env = env(c);
                    if (env.containsKey("STOWAGE_SCHEDULER_BROKER")) {
                        String ns = env.getOrDefault("STOWAGE_SCHEDULER_BROKER_NAMESPACE", null);
                        if (ns == null || m.find(EVENTING, "Broker", ns, env.get("STOWAGE_SCHEDULER_BROKER")).isEmpty()) {
                            v.add(d + ": STOWAGE_SCHEDULER_BROKER(_NAMESPACE) " + ns + "/"
                                    + env.get("STOWAGE_SCHEDULER_BROKER") + " is not a Broker of the manifests");
                        }
                    }
                    if (d.is(SINKS, "JobSink") && brokerOfIngress(env.get("K_SINK")).isEmpty()) {
                        v.add(d + ": K_SINK " + env.get("K_SINK") + " is not the ingress of a Broker of the manifests");
                    }
                }
            }
        }
        return v;
    }

    /** The Broker whose ingress URL {@code url} is ({@code http://broker-ingress.knative-eventing.svc.cluster.local/<ns>/<name>}). */
    Optional<Doc> brokerOfIngress(String url) {
        if (url == null || !url.startsWith(BROKER_INGRESS)) {
            return Optional.empty();
        }
        String[] parts = url.substring(BROKER_INGRESS.length()).split("/");
        return parts.length == 2 ? m.find(EVENTING, "Broker", parts[0], parts[1]) : Optional.empty();
    }

    static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : container.path("env")) {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        }
        return env;
    }

    // ------------------------------------------------------------------ identities

    /**
     * Every Knative Service runs as its own ServiceAccount (no other Service shares it), which exists
     * and is bound to a role; JobSink Jobs and the ApiServerSource name existing ServiceAccounts, and
     * the ApiServerSource's may get, list and watch what it watches.
     */
    List<String> serviceAccounts() {
        List<String> v = new ArrayList<>();
        Map<String, Doc> owner = new HashMap<>();
        for (Doc s : m.of(SERVING, "Service")) {
            String sa = s.spec().path("template").path("spec").path("serviceAccountName").asText(null);
            if (sa == null) {
                v.add(s + ": no serviceAccountName (it would run as the namespace's default account)");
                continue;
            }
            Doc previous = owner.put(sa, s);
            if (previous != null) {
                v.add(s + ": shares ServiceAccount " + sa + " with " + previous);
            }
            checkAccount(v, s, s.namespace(), sa);
        }
        for (Doc j : m.of(SINKS, "JobSink")) {
            String sa = j.spec().path("job").path("spec").path("template").path("spec").path("serviceAccountName")
                    .asText(null);
            if (sa == null) {
                v.add(j + ": the Job has no serviceAccountName");
            } else {
                checkAccount(v, j, j.namespace(), sa);
            }
        }
        for (Doc a : m.of(SOURCES, "ApiServerSource")) {
            String sa = a.spec().path("serviceAccountName").asText(null);
            if (sa == null) {
                v.add(a + ": no serviceAccountName");
                continue;
            }
            checkAccount(v, a, a.namespace(), sa);
            Rbac rbac = Rbac.of(m, a.namespace(), sa);
            for (JsonNode res : a.spec().path("resources")) {
                String apiVersion = res.path("apiVersion").asText();
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                String plural = res.path("kind").asText().toLowerCase(Locale.ROOT) + "s";
                for (String verb : List.of("get", "list", "watch")) {
                    if (!rbac.allows(group, plural, verb, null)) {
                        v.add(a + ": ServiceAccount " + sa + " may not " + verb + " " + plural);
                    }
                }
            }
        }
        return v;
    }

    private void checkAccount(List<String> v, Doc user, String namespace, String sa) {
        if (m.find("", "ServiceAccount", namespace, sa).isEmpty()) {
            v.add(user + ": ServiceAccount " + namespace + "/" + sa + " does not exist in the manifests");
        } else if (Rbac.of(m, namespace, sa).isEmpty()) {
            v.add(user + ": ServiceAccount " + namespace + "/" + sa + " is bound to no role");
        }
        for (Doc b : m.where(d -> d.group().equals(RBAC) && d.kind().endsWith("Binding"))) {
            String roleKind = b.node().path("roleRef").path("kind").asText();
            String role = b.node().path("roleRef").path("name").asText();
            boolean exists = roleKind.equals("ClusterRole") ? m.find(RBAC, "ClusterRole", null, role).isPresent()
                    : m.find(RBAC, "Role", b.namespace(), role).isPresent();
            if (!exists) {
                v.add(b + ": roleRef " + roleKind + " " + role + " does not exist in the manifests");
            }
        }
    }

    /** Probes on the Actuator's health groups, port 8080, requests and limits for CPU and memory. */
    List<String> probesAndResources() {
        List<String> v = new ArrayList<>();
        for (Doc s : m.of(SERVING, "Service")) {
            JsonNode containers = s.spec().path("template").path("spec").path("containers");
            if (containers.size() != 1) {
                v.add(s + ": one container expected");
                continue;
            }
            JsonNode c = containers.get(0);
            probe(v, s, c, "readinessProbe", "/actuator/health/readiness");
            probe(v, s, c, "livenessProbe", "/actuator/health/liveness");
            JsonNode readiness = c.path("readinessProbe");
            if (readiness.path("periodSeconds").asInt(0) == 0
                    && (readiness.has("failureThreshold") || readiness.has("timeoutSeconds"))) {
                v.add(s + ": a readiness probe without periodSeconds (Knative's aggressive probing) may not set "
                        + "failureThreshold or timeoutSeconds");
            }
            if (c.path("ports").size() != 1 || c.path("ports").get(0).path("containerPort").asInt() != 8080) {
                v.add(s + ": the container must expose port 8080, the functions' server.port");
            }
            resources(v, s, c);
        }
        for (Doc j : m.of(SINKS, "JobSink")) {
            for (JsonNode pod : podSpecs(j)) {
                if (!"Never".equals(pod.path("restartPolicy").asText())) {
                    v.add(j + ": the Job's restartPolicy must be Never (podFailurePolicy, exit codes)");
                }
                pod.path("containers").forEach(c -> resources(v, j, c));
            }
        }
        return v;
    }

    private static void probe(List<String> v, Doc s, JsonNode c, String probe, String path) {
        if (!path.equals(c.path(probe).path("httpGet").path("path").asText(null))) {
            v.add(s + ": " + probe + " must be an httpGet of " + path);
        }
        JsonNode port = c.path(probe).path("httpGet").path("port");
        if (!port.isMissingNode() && port.asInt() != 8080) {
            v.add(s + ": " + probe + " port must be the container port (or left out)");
        }
    }

    private static void resources(List<String> v, Doc d, JsonNode c) {
        for (String kind : List.of("requests", "limits")) {
            for (String r : List.of("cpu", "memory")) {
                if (!c.path("resources").path(kind).has(r)) {
                    v.add(d + ": container " + c.path("name").asText() + " has no resources." + kind + "." + r);
                }
            }
        }
    }

    /** Namespaced documents say their namespace, which is Stowage's. */
    List<String> namespaces() {
        Set<String> clusterScoped = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition");
        List<String> v = new ArrayList<>();
        for (Doc d : m.all()) {
            boolean cluster = clusterScoped.contains(d.kind());
            if (cluster && d.namespace() != null) {
                v.add(d + ": cluster-scoped, but has a namespace");
            } else if (!cluster && !NAMESPACE.equals(d.namespace())) {
                v.add(d + ": namespace must be " + NAMESPACE + ", not " + d.namespace());
            }
        }
        return v;
    }

    /** Manifests declare; status is the controllers'. */
    List<String> noStatus() {
        return m.where(d -> d.node().has("status")).stream().map(d -> d + ": has a status").toList();
    }

    // ------------------------------------------------------------------ helpers

    static Optional<Duration> isoDuration(String text) {
        try {
            return Optional.of(Duration.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|m|s|ms)");

    /** A Go duration such as {@code 10m} or {@code 1h30m}, as Knative's annotations take them. */
    static Optional<Duration> goDuration(String text) {
        Matcher matcher = GO_DURATION.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find()) {
            if (matcher.start() != end) {
                return Optional.empty();
            }
            double n = Double.parseDouble(matcher.group(1));
            total = total.plusMillis((long) (n * switch (matcher.group(2)) {
                case "h" -> 3_600_000;
                case "m" -> 60_000;
                case "s" -> 1_000;
                default -> 1;
            }));
            end = matcher.end();
        }
        return end == text.length() && end > 0 ? Optional.of(total) : Optional.empty();
    }

    /** A value of the {@code _example} block of a Knative ConfigMap file. */
    static String example(String configMap, String key) {
        Matcher matcher = Pattern.compile("(?m)^\\s+" + Pattern.quote(key) + ":\\s*\"([^\"]*)\"").matcher(configMap);
        if (!matcher.find()) {
            throw new IllegalStateException(key + " not found in the Knative defaults");
        }
        return matcher.group(1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
