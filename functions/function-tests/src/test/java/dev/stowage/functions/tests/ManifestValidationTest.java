package dev.stowage.functions.tests;

import static dev.stowage.functions.tests.Manifests.EVENTING;
import static dev.stowage.functions.tests.Manifests.FLOWS;
import static dev.stowage.functions.tests.Manifests.RBAC;
import static dev.stowage.functions.tests.Manifests.SERVING;
import static dev.stowage.functions.tests.Manifests.SINKS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.engine.api.CrdFixtures;
import dev.stowage.functions.tests.Manifests.Doc;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * knative/ and triggers/ (and the documented example of a user's own task) against the official
 * Knative CRD schemas in ../shared/knative-crds, our generated CRDs and Kubernetes' own types, plus
 * the rules the schemas cannot express ({@link KnativeRules}); each rule is shown to catch what it
 * is for. Also: the installed CRDs are the generated ones, func.yaml and the Dockerfiles agree with
 * the Services, and docs/rbac.md is the roles.
 */
class ManifestValidationTest {
    static final String EXAMPLE = "docs/examples/mysql-backup.yaml";
    static final Set<String> FUNCTIONS = Set.of("pg-backup", "restore", "post-backup", "scheduler");
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static Path knativeCrds;
    static CrdSchemas schemas;
    static Manifests installed;
    static Manifests withExample;

    @BeforeAll
    static void load() throws IOException {
        String shared = System.getProperty("stowage.shared");
        knativeCrds = (shared != null ? Path.of(shared) : Manifests.root().resolve("../shared")).resolve("knative-crds")
                .toAbsolutePath().normalize();
        assertThat(knativeCrds.resolve("serving/service.yaml")).as("the official Knative CRDs").exists();
        schemas = new CrdSchemas();
        try (Stream<Path> files = Stream.concat(Files.list(knativeCrds.resolve("serving")),
                Files.list(knativeCrds.resolve("eventing")))) {
            schemas.addAll(files.filter(f -> f.toString().endsWith(".yaml")).sorted().toArray(Path[]::new));
        }
        for (CustomResourceDefinition crd : CrdFixtures.all()) {
            schemas.add(SERIALIZATION.convertValue(crd, JsonNode.class));
        }
        installed = Manifests.kustomized("knative", "triggers");
        withExample = installed.plus(Manifests.files(EXAMPLE));
    }

    // ---------------------------------------------------------------- what is installed

    @Test
    void kustomizationsInstallEveryManifestFile() throws IOException {
        Set<Path> listed = new TreeSet<>(Manifests.kustomized("knative", "knative/with-kubedb", "triggers").files());
        Set<Path> present = new TreeSet<>();
        for (String dir : List.of("knative", "triggers")) {
            try (Stream<Path> walk = Files.walk(Manifests.root().resolve(dir))) {
                walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).forEach(present::add);
            }
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(present);
        // with-kubedb/ is knative/ without KubeDB's AppBinding CRD
        List<String> withKubeDb = Manifests.kustomized("knative/with-kubedb").all().stream().map(Doc::toString).toList();
        List<String> all = installed.all().stream().filter(d -> !d.file().toString().contains("/triggers/"))
                .map(Doc::toString).toList();
        assertThat(all).containsAll(withKubeDb);
        assertThat(all.stream().filter(d -> !withKubeDb.contains(d)))
                .singleElement().asString().startsWith("CustomResourceDefinition appbindings.appcatalog.appscode.com");
    }

    @Test
    void everyDocumentValidatesAgainstItsSchema() {
        List<String> problems = new ArrayList<>();
        for (Doc d : withExample.all()) {
            problems.addAll(validate(d));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyKnativeRuleHolds() {
        assertThat(new KnativeRules(withExample, knativeCrds).all()).isEmpty();
    }

    /** What each document is checked against: its CRD's schema, or Kubernetes' own types. */
    static List<String> validate(Doc d) {
        if (schemas.knows(d)) {
            List<String> problems = new ArrayList<>(schemas.validate(d));
            if (d.is(SINKS, "JobSink")) {
                ObjectNode job = d.spec().path("job").deepCopy();
                job.put("apiVersion", "batch/v1");
                job.put("kind", "Job");
                problems.addAll(typed(d + " spec.job", job, Job.class));
            }
            return problems;
        }
        Map<String, Class<? extends KubernetesResource>> core = Map.of(
                "v1/Namespace", Namespace.class,
                "v1/ServiceAccount", ServiceAccount.class,
                RBAC + "/v1/ClusterRole", ClusterRole.class,
                RBAC + "/v1/ClusterRoleBinding", ClusterRoleBinding.class,
                "apiextensions.k8s.io/v1/CustomResourceDefinition", CustomResourceDefinition.class);
        Class<? extends KubernetesResource> type = core.get(d.apiVersion() + "/" + d.kind());
        if (type == null) {
            return List.of(d + ": no schema known for " + d.apiVersion() + " " + d.kind());
        }
        return typed(d.toString(), d.node(), type);
    }

    /**
     * A Kubernetes type read with fabric8's model: fields the model does not know land in its
     * additionalProperties, which must stay empty at every depth.
     */
    static List<String> typed(String where, JsonNode node, Class<? extends KubernetesResource> type) {
        List<String> problems = new ArrayList<>();
        Object model;
        try {
            model = SERIALIZATION.convertValue(node, type);
        } catch (RuntimeException e) {
            return List.of(where + ": not a valid " + type.getSimpleName() + ": " + e.getMessage());
        }
        unknownFields(model, "", problems::add);
        return problems.stream().map(p -> where + ": unknown field " + p).toList();
    }

    private static void unknownFields(Object model, String path, Consumer<String> out) {
        if (model == null) {
            return;
        }
        if (model instanceof Collection<?> list) {
            int i = 0;
            for (Object o : list) {
                unknownFields(o, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (model instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, out));
            return;
        }
        if (!model.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : model.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(model);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties") && value instanceof Map<?, ?> extra) {
                extra.keySet().forEach(k -> out.accept(path + "." + k));
            } else {
                unknownFields(value, path + "." + m.getName().substring(3, 4).toLowerCase() + m.getName().substring(4), out);
            }
        }
    }

    // ---------------------------------------------------------------- the checks catch what they are for

    @Test
    void schemaValidationCatchesTyposAndWrongTypes() {
        Manifests broken = installed.copy();
        ObjectNode spec = (ObjectNode) broken.get(SERVING, "Service", "stowage", "pg-backup").spec()
                .path("template").path("spec");
        spec.set("containerConcurency", spec.get("containerConcurrency"));
        spec.put("timeoutSeconds", "600");
        ((ObjectNode) spec.path("containers").get(0)).put("imagePullPolicy", 3);
        List<String> problems = validate(broken.get(SERVING, "Service", "stowage", "pg-backup"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("containerConcurency"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("timeoutSeconds"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("imagePullPolicy"));

        ((ObjectNode) broken.get(FLOWS, "Sequence", "stowage", "pg-backup").spec().path("steps").get(0))
                .put("delivry", "x");
        assertThat(validate(broken.get(FLOWS, "Sequence", "stowage", "pg-backup")))
                .anySatisfy(p -> assertThat(p).contains("delivry"));

        ObjectNode role = broken.get(RBAC, "ClusterRole", null, "stowage-pg-backup").node();
        ((ObjectNode) role.path("rules").get(0)).putArray("verb").add("get");
        assertThat(validate(broken.get(RBAC, "ClusterRole", null, "stowage-pg-backup")))
                .anySatisfy(p -> assertThat(p).contains("unknown field .rules[0].verb"));

        ObjectNode job = (ObjectNode) broken.get(SINKS, "JobSink", "stowage", "pg-backup-job").spec().path("job")
                .path("spec");
        job.put("backofLimit", 2);
        assertThat(validate(broken.get(SINKS, "JobSink", "stowage", "pg-backup-job")))
                .anySatisfy(p -> assertThat(p).contains("backofLimit"));
    }

    @Test
    void ruleExtensionNamesAreLowercaseAlphanumeric() {
        Manifests broken = installed.copy();
        ObjectNode attributes = (ObjectNode) trigger(broken, "pg-backup").spec().path("filter").path("attributes");
        attributes.set("stowage-task", attributes.remove("stowagetask"));
        ObjectNode exact = (ObjectNode) trigger(broken, "pg-backup-job-report").spec().path("filters").get(0)
                .path("exact");
        exact.set("stowageTask", exact.remove("stowagetask"));
        assertThat(new KnativeRules(broken, knativeCrds).extensionNames())
                .anySatisfy(v -> assertThat(v).contains("\"stowage-task\""))
                .anySatisfy(v -> assertThat(v).contains("\"stowageTask\""));
    }

    @Test
    void ruleTriggerFiltersAreTheReproducedDialects() {
        Manifests broken = installed.copy();
        ((ObjectNode) trigger(broken, "scheduler-resources").spec().path("filters").get(0))
                .put("cesql", "type LIKE 'dev.knative.apiserver.%'");
        trigger(broken, "pg-backup").spec().putArray("filters").addObject().putObject("exact")
                .put("type", "a").put("stowagetask", "b");
        trigger(broken, "scheduler-ping").spec().remove("filter");
        assertThat(new KnativeRules(broken, knativeCrds).triggerFilters())
                .anySatisfy(v -> assertThat(v).contains("scheduler-resources").contains("exactly one dialect"))
                .anySatisfy(v -> assertThat(v).contains("both filter and filters"))
                .anySatisfy(v -> assertThat(v).contains("exact must test exactly one attribute"))
                .anySatisfy(v -> assertThat(v).contains("scheduler-ping").contains("no filter"));
    }

    @Test
    void ruleAutoscalingAnnotationsAreOnTheRevisionTemplate() {
        Manifests broken = installed.copy();
        Doc service = broken.get(SERVING, "Service", "stowage", "restore");
        ObjectNode template = (ObjectNode) service.spec().path("template").path("metadata").path("annotations");
        ((ObjectNode) service.node().path("metadata")).putObject("annotations")
                .set("autoscaling.knative.dev/min-scale", template.remove("autoscaling.knative.dev/min-scale"));
        template.remove("autoscaling.knative.dev/scale-to-zero-pod-retention-period");
        template.put("autoscaling.knative.dev/minScal", "0");
        ((ObjectNode) broken.get(SERVING, "Service", "stowage", "post-backup").spec().path("template")
                .path("metadata").path("annotations")).put("autoscaling.knative.dev/scale-to-zero-pod-retention-period", "2h");
        assertThat(new KnativeRules(broken, knativeCrds).autoscalingOnRevisionTemplate())
                .anySatisfy(v -> assertThat(v).contains("post-backup").contains("at most 1h").contains("not 2h"))
                .anySatisfy(v -> assertThat(v).contains("is on the Service's metadata"))
                .anySatisfy(v -> assertThat(v).contains("min-scale must be \"0\""))
                .anySatisfy(v -> assertThat(v).contains("scale-to-zero-pod-retention-period"))
                .anySatisfy(v -> assertThat(v).contains("unknown autoscaling annotation autoscaling.knative.dev/minScal"));
        template.put("autoscaling.knative.dev/max-scale", 4);
        assertThat(new KnativeRules(broken, knativeCrds).stringMetadata())
                .anySatisfy(v -> assertThat(v).contains("max-scale must be a string"));
    }

    @Test
    void ruleSecretVolumesAreReadOnly() {
        Manifests broken = installed.copy();
        ObjectNode pod = (ObjectNode) broken.get(SERVING, "Service", "stowage", "pg-backup").spec().path("template")
                .path("spec");
        ((com.fasterxml.jackson.databind.node.ArrayNode) pod.path("volumes")).addObject().put("name", "creds")
                .putObject("secret").put("secretName", "minio");
        ((com.fasterxml.jackson.databind.node.ArrayNode) pod.path("containers").get(0).path("volumeMounts")).addObject()
                .put("name", "creds").put("mountPath", "/var/run/secrets/minio");
        assertThat(new KnativeRules(broken, knativeCrds).secretVolumesReadOnly()).singleElement().asString()
                .contains("secret volume creds").contains("readOnly");
        ((ObjectNode) pod.path("containers").get(0).path("volumeMounts").get(1)).put("readOnly", true);
        assertThat(new KnativeRules(broken, knativeCrds).secretVolumesReadOnly()).isEmpty();
    }

    @Test
    void ruleTimeoutsAreWithinTheDocumentedMaximum() {
        Manifests broken = installed.copy();
        KnativeRules rules = new KnativeRules(broken, knativeCrds);
        assertThat(rules.maxRevisionTimeout()).as("max-revision-timeout-seconds of config-defaults").isEqualTo(600);
        ObjectNode spec = (ObjectNode) broken.get(SERVING, "Service", "stowage", "pg-backup").spec().path("template")
                .path("spec");
        spec.put("timeoutSeconds", 3600);
        ObjectNode post = (ObjectNode) broken.get(SERVING, "Service", "stowage", "post-backup").spec()
                .path("template").path("spec");
        post.remove("timeoutSeconds");
        ((ObjectNode) broken.get(FLOWS, "Sequence", "stowage", "pg-restore").spec().path("steps").get(0)
                .path("delivery")).put("timeout", "PT5M");
        ((ObjectNode) trigger(broken, "scheduler-ping").spec().path("delivery")).put("timeout", "2m");
        assertThat(rules.timeouts())
                .anySatisfy(v -> assertThat(v).contains("pg-backup").contains("timeoutSeconds 3600 is not within 1..600"))
                .anySatisfy(v -> assertThat(v).contains("post-backup").contains("no timeoutSeconds"))
                .anySatisfy(v -> assertThat(v).contains("pg-restore").contains("step 0")
                        .contains("PT5M is shorter than").contains("redeliver"))
                .anySatisfy(v -> assertThat(v).contains("scheduler-ping").contains("not an ISO-8601 duration"));
    }

    @Test
    void ruleEverySubscriberAndStepNamesAnExistingService() {
        Manifests broken = installed.copy();
        ((ObjectNode) trigger(broken, "scheduler-ping").spec().path("subscriber").path("ref")).put("name", "schedular");
        ((ObjectNode) broken.get(FLOWS, "Sequence", "stowage", "pg-backup").spec().path("steps").get(1).path("ref"))
                .put("name", "postbackup");
        ((ObjectNode) broken.get(FLOWS, "Sequence", "stowage", "pg-restore").spec().path("steps").get(0)
                .path("delivery").path("deadLetterSink").path("ref")).put("apiVersion", "serving.knative.dev/v1beta1");
        ((ObjectNode) trigger(broken, "pg-backup-job").spec().path("subscriber").path("ref")).put("name", "pg-job");
        ((ObjectNode) trigger(broken, "pg-restore").spec()).put("broker", "default");
        List<String> violations = new KnativeRules(broken, knativeCrds).references();
        assertThat(violations)
                .anySatisfy(v -> assertThat(v).contains("scheduler-ping").contains("Service stowage/schedular does not exist"))
                .anySatisfy(v -> assertThat(v).contains("Sequence stowage/pg-backup").contains("step 1")
                        .contains("postbackup does not exist"))
                .anySatisfy(v -> assertThat(v).contains("step 0 deadLetterSink").contains("v1beta1"))
                .anySatisfy(v -> assertThat(v).contains("JobSink stowage/pg-job does not exist"))
                .anySatisfy(v -> assertThat(v).contains("Broker default does not exist"));
    }

    @Test
    void ruleSinksOutsideRepliesNameTheBroker() {
        Manifests broken = installed.copy();
        ObjectNode env = (ObjectNode) broken.get(SINKS, "JobSink", "stowage", "pg-backup-job").spec().path("job")
                .path("spec").path("template").path("spec").path("containers").get(0).path("env").get(0);
        env.put("value", "http://broker-ingress.knative-eventing.svc.cluster.local/stowage/default");
        ObjectNode schedulerEnv = (ObjectNode) broken.get(SERVING, "Service", "stowage", "scheduler").spec()
                .path("template").path("spec").path("containers").get(0).path("env").get(0);
        schedulerEnv.put("value", "default");
        assertThat(new KnativeRules(broken, knativeCrds).sinks())
                .anySatisfy(v -> assertThat(v).contains("pg-backup-job").contains("K_SINK"))
                .anySatisfy(v -> assertThat(v).contains("scheduler").contains("STOWAGE_SCHEDULER_BROKER"));
    }

    @Test
    void ruleEveryFunctionHasItsOwnBoundServiceAccount() {
        Manifests broken = installed.copy();
        ((ObjectNode) broken.get(SERVING, "Service", "stowage", "restore").spec().path("template").path("spec"))
                .put("serviceAccountName", "pg-backup");
        ((ObjectNode) broken.get(RBAC, "ClusterRole", null, "stowage-apiserversource").node().path("rules").get(0))
                .putArray("verbs").add("get").add("list");
        assertThat(new KnativeRules(broken, knativeCrds).serviceAccounts())
                .anySatisfy(v -> assertThat(v).contains("restore").contains("shares ServiceAccount pg-backup"))
                .anySatisfy(v -> assertThat(v).contains("ApiServerSource").contains("may not watch backupsessions"));
    }

    @Test
    void ruleProbesResourcesNamespacesAndNoStatus() {
        Manifests broken = installed.copy();
        ObjectNode container = (ObjectNode) broken.get(SERVING, "Service", "stowage", "scheduler").spec()
                .path("template").path("spec").path("containers").get(0);
        ((ObjectNode) container.path("readinessProbe").path("httpGet")).put("path", "/actuator/health");
        ((ObjectNode) container.path("readinessProbe")).put("failureThreshold", 3);
        ((ObjectNode) container.path("resources")).remove("limits");
        ((ObjectNode) trigger(broken, "pg-backup").node().path("metadata")).put("namespace", "default");
        broken.get(EVENTING, "Broker", "stowage", "stowage").node().putObject("status");
        KnativeRules rules = new KnativeRules(broken, knativeCrds);
        assertThat(rules.probesAndResources())
                .anySatisfy(v -> assertThat(v).contains("readinessProbe must be an httpGet of /actuator/health/readiness"))
                .anySatisfy(v -> assertThat(v).contains("may not set failureThreshold"))
                .anySatisfy(v -> assertThat(v).contains("no resources.limits.cpu"));
        assertThat(rules.namespaces()).singleElement().asString().contains("namespace must be stowage, not default");
        assertThat(rules.noStatus()).singleElement().asString().contains("Broker stowage/stowage");
    }

    // ---------------------------------------------------------------- agreement with the code and the docs

    @Test
    void installedCrdsAreTheGeneratedOnes() throws IOException {
        Map<String, Path> installedCrds = new TreeMap<>();
        for (Doc d : installed.where(d -> "CustomResourceDefinition".equals(d.kind()))) {
            installedCrds.put(d.file().getFileName().toString(), d.file());
        }
        Set<String> generated = CrdFixtures.RESOURCES.stream().map(r -> r.substring(r.lastIndexOf('/') + 1))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(installedCrds.keySet()).isEqualTo(generated);
        for (String resource : CrdFixtures.RESOURCES) {
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            try (InputStream in = CrdFixtures.class.getClassLoader().getResourceAsStream(resource)) {
                assertThat(in).as(resource).isNotNull();
                assertThat(Files.readString(installedCrds.get(name)))
                        .as("%s is a copy of the generated %s: cp shared-engine/target/classes/%s %s", name, resource,
                                resource, Manifests.root().relativize(installedCrds.get(name)))
                        .isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void imagesAreBuiltByTheFunctionsDockerfiles() throws IOException {
        Pattern image = Pattern.compile("ghcr\\.io/stowage-dev/([a-z-]+):([0-9][0-9A-Za-z.-]*)");
        Set<String> used = new TreeSet<>();
        for (Doc d : installed.all()) {
            for (JsonNode pod : KnativeRules.podSpecs(d)) {
                for (JsonNode c : pod.path("containers")) {
                    Matcher matcher = image.matcher(c.path("image").asText());
                    assertThat(matcher.matches()).as(d + " image " + c.path("image").asText()).isTrue();
                    used.add(matcher.group(1));
                    assertThat(c.path("name").asText()).as(d + " container name").isEqualTo(matcher.group(1));
                }
            }
        }
        assertThat(used).isEqualTo(FUNCTIONS);
        for (String fn : FUNCTIONS) {
            String dockerfile = Files.readString(Manifests.root().resolve("functions/" + fn + "/Dockerfile"));
            assertThat(dockerfile).contains("COPY functions/" + fn + "/target/" + fn + "-exec.jar ");
            assertThat(dockerfile).contains("EXPOSE 8080");
            boolean postgres = fn.equals("pg-backup") || fn.equals("restore");
            assertThat(dockerfile.contains("postgresql-client")).as(fn + " carries the PostgreSQL client")
                    .isEqualTo(postgres);
        }
    }

    /** Each file a Dockerfile copies from the build context gets through .dockerignore. */
    @Test
    void dockerignoreLetsThroughWhatTheDockerfilesCopy() throws IOException {
        List<String> rules = Files.readAllLines(Manifests.root().resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String fn : FUNCTIONS) {
            String dockerfile = Files.readString(Manifests.root().resolve("functions/" + fn + "/Dockerfile"));
            List<String> copied = new ArrayList<>();
            for (String line : dockerfile.replace("\\\n", " ").split("\n")) {
                List<String> words = List.of(line.strip().split("\\s+"));
                if (words.get(0).equals("COPY") && words.stream().noneMatch(w -> w.startsWith("--from="))) {
                    copied.addAll(words.subList(1, words.size() - 1));
                }
            }
            assertThat(copied).as(fn + "/Dockerfile copies its exec jar").contains("functions/" + fn + "/target/" + fn + "-exec.jar");
            for (String source : copied) {
                assertThat(dockerIgnores(rules, source)).as(fn + "/Dockerfile copies " + source + ", which .dockerignore leaves out")
                        .isFalse();
            }
        }
        assertThat(dockerIgnores(rules, "shared-engine/pom.xml")).as("the build context stays small").isTrue();
    }

    /** Docker's rule: the last pattern that matches the path or one of its parent directories decides. */
    private static boolean dockerIgnores(List<String> rules, String path) {
        boolean ignored = false;
        for (String rule : rules) {
            boolean exception = rule.startsWith("!");
            Pattern glob = Pattern.compile(Stream.of((exception ? rule.substring(1) : rule).split("\\*", -1))
                    .map(Pattern::quote).collect(Collectors.joining("[^/]*")));
            for (String p = path; !p.isEmpty(); p = p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : "") {
                if (glob.matcher(p).matches()) {
                    ignored = !exception;
                    break;
                }
            }
        }
        return ignored;
    }

    /** func.yaml (for {@code kn func}) says what the Service in knative/ says, where func.yaml can say it. */
    @Test
    void funcYamlAgreesWithTheService() throws IOException {
        for (String fn : FUNCTIONS) {
            JsonNode func = Manifests.YAML.readTree(Manifests.root().resolve("functions/" + fn + "/func.yaml").toFile());
            Doc service = installed.get(SERVING, "Service", "stowage", fn);
            JsonNode template = service.spec().path("template");
            JsonNode container = template.path("spec").path("containers").get(0);
            JsonNode annotations = template.path("metadata").path("annotations");
            String where = "functions/" + fn + "/func.yaml";
            assertThat(func.path("specVersion").asText()).as(where).isEqualTo("0.36.0");
            assertThat(func.path("name").asText()).as(where).isEqualTo(fn);
            assertThat(func.path("runtime").asText()).as(where).isEqualTo("springboot");
            assertThat(func.path("created").asText()).as(where).isNotEmpty();
            assertThat(func.path("namespace").asText()).as(where).isEqualTo("stowage");
            assertThat(func.path("image").asText()).as(where).isEqualTo(container.path("image").asText());
            JsonNode deploy = func.path("deploy");
            assertThat(deploy.path("namespace").asText()).as(where).isEqualTo("stowage");
            assertThat(deploy.path("serviceAccountName").asText()).as(where)
                    .isEqualTo(template.path("spec").path("serviceAccountName").asText());
            assertThat(deploy.path("healthEndpoints").path("liveness").asText()).as(where)
                    .isEqualTo(container.path("livenessProbe").path("httpGet").path("path").asText());
            assertThat(deploy.path("healthEndpoints").path("readiness").asText()).as(where)
                    .isEqualTo(container.path("readinessProbe").path("httpGet").path("path").asText());
            JsonNode scale = deploy.path("options").path("scale");
            assertThat(scale.path("min").asText()).as(where).isEqualTo(annotations.path(KnativeRules.AUTOSCALING
                    + "min-scale").asText());
            assertThat(scale.path("max").asText()).as(where).isEqualTo(annotations.path(KnativeRules.AUTOSCALING
                    + "max-scale").asText());
            JsonNode resources = deploy.path("options").path("resources");
            for (String kind : List.of("requests", "limits")) {
                for (String r : List.of("cpu", "memory")) {
                    assertThat(resources.path(kind).path(r).asText()).as(where + " " + kind + "." + r)
                            .isEqualTo(container.path("resources").path(kind).path(r).asText());
                }
            }
            assertThat(resources.path("limits").path("concurrency").asInt()).as(where + " limits.concurrency")
                    .isEqualTo(template.path("spec").path("containerConcurrency").asInt());
            // func puts deploy.annotations on the Service's metadata too, where Knative refuses autoscaling keys
            deploy.path("annotations").fieldNames().forEachRemaining(k -> assertThat(k).as(where + " deploy.annotations")
                    .doesNotStartWith(KnativeRules.AUTOSCALING));
            Map<String, String> envs = new TreeMap<>();
            func.path("run").path("envs").forEach(e -> envs.put(e.path("name").asText(), e.path("value").asText()));
            assertThat(envs).as(where + " run.envs").isEqualTo(new TreeMap<>(KnativeRules.env(container)));
        }
    }

    /** docs/rbac.md's table is the ClusterRoles, rule for rule. */
    @Test
    void rbacTableInTheDocsIsTheRoles() throws IOException {
        Map<String, Set<String>> documented = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| `([a-z-]+)` \\| `([a-z.]+)` \\| `([a-z/]+)` \\| ([a-z, `]+) \\|.*$");
        for (String line : Files.readAllLines(Manifests.root().resolve("docs/rbac.md"))) {
            Matcher matcher = row.matcher(line);
            if (matcher.matches()) {
                String group = matcher.group(2).equals("core") ? "" : matcher.group(2);
                for (String verb : matcher.group(4).replace("`", "").split(",\\s*")) {
                    documented.computeIfAbsent(matcher.group(1), k -> new TreeSet<>())
                            .add(new Rbac.Grant(group, matcher.group(3), verb.trim()).toString());
                }
            }
        }
        Map<String, Set<String>> roles = new TreeMap<>();
        for (String account : List.of("pg-backup", "restore", "post-backup", "scheduler", "stowage-apiserversource")) {
            roles.put(account, Rbac.of(installed, "stowage", account).grants().stream().map(Rbac.Grant::toString)
                    .collect(Collectors.toCollection(TreeSet::new)));
        }
        assertThat(documented).isEqualTo(roles);
    }

    private static Doc trigger(Manifests m, String name) {
        return m.get(EVENTING, "Trigger", "stowage", name);
    }
}
