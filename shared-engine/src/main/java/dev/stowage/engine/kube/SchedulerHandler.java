package dev.stowage.engine.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.api.BackupConfiguration;
import dev.stowage.engine.api.BackupConfigurationPhase;
import dev.stowage.engine.api.BackupConfigurationStatus;
import dev.stowage.engine.api.BackupSession;
import dev.stowage.engine.api.BackupSessionPhase;
import dev.stowage.engine.api.BackupSessionSpec;
import dev.stowage.engine.api.BackupSessionStatus;
import dev.stowage.engine.api.Invoker;
import dev.stowage.engine.api.RestorePhase;
import dev.stowage.engine.api.RestoreSession;
import dev.stowage.engine.api.RestoreSessionStatus;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventHandler;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.engine.event.Events;
import dev.stowage.engine.event.InvalidEventException;
import dev.stowage.engine.event.SessionRef;
import io.fabric8.knative.client.KnativeClient;
import io.fabric8.knative.sources.v1.PingSource;
import io.fabric8.knative.sources.v1.PingSourceBuilder;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code scheduler} function. Reconcile-style, because its inputs are lossy and repeat
 * (knative-notes §0.5): every event makes the cluster converge, whatever arrived before.
 * <ul>
 *   <li>BackupConfiguration added or changed → its PingSource follows schedule and {@code paused}
 *       (owned by the configuration, so deleting it deletes the PingSource).</li>
 *   <li>PingSource tick → a BackupSession named after the configuration and the tick's minute (a
 *       duplicate tick finds it exists); Skipped if an earlier session of the configuration still
 *       runs; otherwise the reply {@code backup.requested}.</li>
 *   <li>BackupSession or RestoreSession added or updated while Pending → validated, then the reply
 *       {@code backup.requested} / {@code restore.requested} (duplicates are absorbed by the claim).</li>
 * </ul>
 */
public final class SchedulerHandler implements EventHandler {
    /** PingSource data naming the configuration a tick is for. */
    public record Tick(SessionRef backupConfiguration) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final KubeSessions sessions;
    private final String broker;
    private final String brokerNamespace;
    private final String source;
    private final Clock clock;

    /**
     * @param broker name of the Broker (in each configuration's namespace) PingSources send ticks to
     * @param source {@code source} attribute of the replies
     */
    public SchedulerHandler(KubernetesClient client, KubeSessions sessions, String broker, String source, Clock clock) {
        this(client, sessions, broker, null, source, clock);
    }

    /**
     * @param broker          name of the Broker PingSources send ticks to
     * @param brokerNamespace namespace of that Broker, e.g. the one Stowage is installed in; null or
     *                        empty: each configuration's own namespace
     * @param source          {@code source} attribute of the replies
     */
    public SchedulerHandler(KubernetesClient client, KubeSessions sessions, String broker, String brokerNamespace,
                            String source, Clock clock) {
        this.client = client;
        this.sessions = sessions;
        this.broker = broker;
        this.brokerNamespace = brokerNamespace == null || brokerNamespace.isEmpty() ? null : brokerNamespace;
        this.source = source;
        this.clock = clock;
    }

    @Override
    public Optional<CloudEvent> handle(CloudEvent event) {
        if (EventTypes.PING.equals(event.type())) {
            return tick(event);
        }
        if (event.type().startsWith(EventTypes.APISERVER_PREFIX)) {
            return apiServer(event);
        }
        throw new InvalidEventException("scheduler takes " + EventTypes.PING + " and " + EventTypes.APISERVER_PREFIX
                + "* events, not " + event.type());
    }

    // --- PingSource ticks

    private Optional<CloudEvent> tick(CloudEvent event) {
        JsonNode data = json(event);
        JsonNode ref = data.get("backupConfiguration");
        if (ref == null || !ref.hasNonNull("namespace") || !ref.hasNonNull("name")) {
            throw new InvalidEventException("field \"backupConfiguration\" with namespace and name is missing");
        }
        String namespace = ref.get("namespace").asText();
        String name = ref.get("name").asText();
        BackupConfiguration config = client.resources(BackupConfiguration.class).inNamespace(namespace)
                .withName(name).get();
        if (config == null || config.getSpec() == null || config.getSpec().isPaused()) {
            return Optional.empty();
        }
        Instant at = tickTime(event).truncatedTo(ChronoUnit.MINUTES);
        String sessionName = name + "-" + at.getEpochSecond();
        List<BackupSession> existing = client.resources(BackupSession.class).inNamespace(namespace)
                .withLabel(BackupSession.LABEL_BACKUP_CONFIGURATION, name).list().getItems();
        boolean busy = false;
        for (BackupSession s : existing) {
            if (s.getMetadata().getName().equals(sessionName)) {
                return Optional.empty(); // a repeated tick
            }
            busy |= stillRunning(s, config);
        }
        BackupSession session = newSession(config, sessionName);
        try {
            session = client.resource(session).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return Optional.empty();
            }
            throw e;
        }
        if (busy) {
            BackupSessionStatus status = new BackupSessionStatus();
            status.setPhase(BackupSessionPhase.Skipped);
            status.setConditions(List.of(new ConditionBuilder().withType("BackupSkipped").withStatus("True")
                    .withReason("PreviousSessionRunning")
                    .withMessage("an earlier BackupSession of " + name + " is still running")
                    .withLastTransitionTime(clock.instant().toString()).build()));
            session.setStatus(status);
            client.resource(session).updateStatus();
            return Optional.empty();
        }
        return Optional.of(backupRequested(config, new SessionRef(namespace, sessionName)));
    }

    /**
     * Whether {@code s} still runs. A Running session whose claim has outlived its lease was
     * abandoned (the function handling it died), and so was a session still Pending after its lease
     * (its request was lost, or no delivery could take it: a JobSink Job that failed before claiming
     * it has no dead-letter sink): either is marked Failed here so the schedule goes on.
     */
    private boolean stillRunning(BackupSession s, BackupConfiguration config) {
        BackupSessionPhase phase = s.getStatus() == null ? null : s.getStatus().getPhase();
        Duration lease = KubeSessions.lease(config.getSpec().getTimeOut());
        if (phase == null || phase == BackupSessionPhase.Pending) {
            if (!olderThan(s, lease)) {
                return true;
            }
            return !fail(s, "NotStarted", "no function took the session's request within its time-out");
        }
        if (phase != BackupSessionPhase.Running) {
            return false;
        }
        if (sessions.liveClaim(s, lease)) {
            return true;
        }
        return !fail(s, "ClaimExpired", "no result within the session's time-out; the function handling it stopped");
    }

    private boolean olderThan(BackupSession s, Duration lease) {
        String created = s.getMetadata().getCreationTimestamp();
        try {
            return created != null && Instant.parse(created).plus(lease).isBefore(clock.instant());
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Marks {@code s} Failed with a DeadlineExceeded condition; false if someone changed it meanwhile. */
    private boolean fail(BackupSession s, String reason, String message) {
        BackupSessionStatus status = s.getStatus() != null ? s.getStatus() : new BackupSessionStatus();
        status.setPhase(BackupSessionPhase.Failed);
        status.setConditions(List.of(new ConditionBuilder().withType("DeadlineExceeded").withStatus("True")
                .withReason(reason).withMessage(message).withLastTransitionTime(clock.instant().toString()).build()));
        s.setStatus(status);
        try {
            client.resource(s).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return false; // someone just changed it: assume it is alive
        }
        return true;
    }

    private BackupSession newSession(BackupConfiguration config, String name) {
        BackupSession session = new BackupSession();
        session.getMetadata().setName(name);
        session.getMetadata().setNamespace(config.getMetadata().getNamespace());
        session.getMetadata().setLabels(Map.of(BackupSession.LABEL_BACKUP_CONFIGURATION, config.getMetadata().getName()));
        session.getMetadata().setOwnerReferences(List.of(ownerReference(config)));
        Invoker invoker = new Invoker();
        invoker.setApiGroup(BackupConfiguration.class.getAnnotation(io.fabric8.kubernetes.model.annotation.Group.class)
                .value());
        invoker.setKind(config.getKind());
        invoker.setName(config.getMetadata().getName());
        BackupSessionSpec spec = new BackupSessionSpec();
        spec.setInvoker(invoker);
        session.setSpec(spec);
        return session;
    }

    // --- ApiServerSource

    private Optional<CloudEvent> apiServer(CloudEvent event) {
        JsonNode data = json(event);
        String kind = text(data, "kind", event.extension("kind"));
        JsonNode metadata = data.get("metadata");
        String name = metadata != null ? text(metadata, "name", null) : text(data, "name", event.extension("name"));
        String namespace = metadata != null ? text(metadata, "namespace", null)
                : text(data, "namespace", event.extension("namespace"));
        if (kind == null || name == null || namespace == null) {
            throw new InvalidEventException("ApiServerSource event without kind, name and namespace");
        }
        boolean deleted = event.type().endsWith(".delete");
        switch (kind) {
            case "BackupConfiguration" -> {
                reconcileConfiguration(namespace, name);
                return Optional.empty();
            }
            case "BackupSession" -> {
                return deleted ? Optional.empty() : pendingBackupSession(namespace, name);
            }
            case "RestoreSession" -> {
                return deleted ? Optional.empty() : pendingRestoreSession(namespace, name);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** Makes the configuration's PingSource match it: present with its schedule unless paused or deleted. */
    public void reconcileConfiguration(String namespace, String name) {
        KnativeClient knative = client.adapt(KnativeClient.class);
        String pingName = pingSourceName(name);
        BackupConfiguration config = client.resources(BackupConfiguration.class).inNamespace(namespace)
                .withName(name).get();
        PingSource current = knative.pingSources().inNamespace(namespace).withName(pingName).get();
        if (config == null || config.getSpec() == null || config.getSpec().isPaused()) {
            if (current != null) {
                knative.pingSources().inNamespace(namespace).withName(pingName).delete();
            }
            if (config != null && config.getSpec() != null) {
                setConfigurationPhase(config, BackupConfigurationPhase.NotReady, "Paused", "the configuration is paused");
            }
            return;
        }
        String data;
        try {
            data = JSON.writeValueAsString(new Tick(new SessionRef(namespace, name)));
        } catch (IOException e) {
            throw new StowageException("cannot encode tick data", e);
        }
        PingSource wanted = new PingSourceBuilder()
                .withNewMetadata().withName(pingName).withNamespace(namespace)
                .withLabels(Map.of(BackupSession.LABEL_BACKUP_CONFIGURATION, name))
                .withOwnerReferences(ownerReference(config)).endMetadata()
                .withNewSpec().withSchedule(config.getSpec().getSchedule()).withContentType("application/json")
                .withData(data)
                .withNewSink().withNewRef().withApiVersion("eventing.knative.dev/v1").withKind("Broker")
                .withName(broker).withNamespace(brokerNamespace).endRef().endSink()
                .endSpec().build();
        if (current == null) {
            knative.pingSources().inNamespace(namespace).resource(wanted).create();
        } else if (!current.getSpec().getSchedule().equals(wanted.getSpec().getSchedule())
                || !data.equals(current.getSpec().getData()) || !sameSink(current, wanted)) {
            current.setSpec(wanted.getSpec());
            knative.pingSources().inNamespace(namespace).resource(current).update();
        }
        setConfigurationPhase(config, BackupConfigurationPhase.Ready, "PingSourceReady",
                "PingSource " + pingName + " schedules \"" + config.getSpec().getSchedule() + "\"");
    }

    private static boolean sameSink(PingSource current, PingSource wanted) {
        var have = current.getSpec().getSink() == null ? null : current.getSpec().getSink().getRef();
        var want = wanted.getSpec().getSink().getRef();
        return have != null && want.getName().equals(have.getName()) && want.getKind().equals(have.getKind())
                && java.util.Objects.equals(want.getNamespace(), have.getNamespace());
    }

    private void setConfigurationPhase(BackupConfiguration config, BackupConfigurationPhase phase, String reason,
                                       String message) {
        BackupConfigurationStatus status = config.getStatus() != null ? config.getStatus()
                : new BackupConfigurationStatus();
        if (phase == status.getPhase() && config.getMetadata().getGeneration() != null
                && config.getMetadata().getGeneration().equals(status.getObservedGeneration())) {
            return; // unchanged: writing would only cause another update event
        }
        status.setPhase(phase);
        status.setObservedGeneration(config.getMetadata().getGeneration());
        status.setConditions(List.of(new ConditionBuilder().withType("PingSourceCreated")
                .withStatus(phase == BackupConfigurationPhase.Ready ? "True" : "False").withReason(reason)
                .withMessage(message).withLastTransitionTime(clock.instant().toString()).build()));
        config.setStatus(status);
        try {
            client.resource(config).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    private Optional<CloudEvent> pendingBackupSession(String namespace, String name) {
        BackupSession session = client.resources(BackupSession.class).inNamespace(namespace).withName(name).get();
        if (session == null || (session.getStatus() != null && session.getStatus().getPhase() != null
                && session.getStatus().getPhase() != BackupSessionPhase.Pending)) {
            return Optional.empty();
        }
        BackupConfiguration config;
        try {
            config = sessions.configuration(session);
        } catch (StowageException e) {
            BackupSessionStatus status = new BackupSessionStatus();
            status.setPhase(BackupSessionPhase.Failed);
            status.setConditions(List.of(new ConditionBuilder().withType("ValidationPassed").withStatus("False")
                    .withReason("InvokerNotFound").withMessage(e.getMessage())
                    .withLastTransitionTime(clock.instant().toString()).build()));
            session.setStatus(status);
            client.resource(session).updateStatus();
            return Optional.empty();
        }
        return Optional.of(backupRequested(config, new SessionRef(namespace, name)));
    }

    private Optional<CloudEvent> pendingRestoreSession(String namespace, String name) {
        RestoreSession session = client.resources(RestoreSession.class).inNamespace(namespace).withName(name).get();
        if (session == null || (session.getStatus() != null && session.getStatus().getPhase() != null
                && session.getStatus().getPhase() != RestorePhase.Pending)) {
            return Optional.empty();
        }
        if (session.getSpec() == null || session.getSpec().getRepository() == null
                || session.getSpec().getTarget() == null) {
            RestoreSessionStatus status = new RestoreSessionStatus();
            status.setPhase(RestorePhase.Invalid);
            status.setConditions(List.of(new ConditionBuilder().withType("RestoreTargetFound").withStatus("False")
                    .withReason("Invalid").withMessage("spec.repository and spec.target are required")
                    .withLastTransitionTime(clock.instant().toString()).build()));
            session.setStatus(status);
            client.resource(session).updateStatus();
            return Optional.empty();
        }
        SessionRef ref = new SessionRef(namespace, name);
        String task = KubeSessions.taskName(session.getSpec().getTask());
        return Optional.of(Events.create(EventTypes.RESTORE_REQUESTED, source, "restoresessions/" + name,
                extensions(task, ref), Map.of("session", ref)));
    }

    private CloudEvent backupRequested(BackupConfiguration config, SessionRef ref) {
        String task = KubeSessions.taskName(config.getSpec().getTask());
        return Events.create(EventTypes.BACKUP_REQUESTED, source, "backupsessions/" + ref.name(),
                extensions(task, ref), Map.of("session", ref));
    }

    private static Map<String, String> extensions(String task, SessionRef ref) {
        return task == null ? Map.of(EventTypes.SESSION, ref.toString())
                : Map.of(EventTypes.TASK, task, EventTypes.SESSION, ref.toString());
    }

    /** Name of the PingSource that ticks for the configuration {@code name}. */
    public static String pingSourceName(String configuration) {
        return "stowage-" + configuration;
    }

    private static io.fabric8.kubernetes.api.model.OwnerReference ownerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    private Instant tickTime(CloudEvent event) {
        if (event.time() != null) {
            try {
                return Instant.parse(event.time());
            } catch (DateTimeParseException e) {
                throw new InvalidEventException("CloudEvent attribute \"time\" is not an RFC 3339 time: " + event.time());
            }
        }
        return clock.instant();
    }

    private static JsonNode json(CloudEvent event) {
        if (event.data().length == 0) {
            throw new InvalidEventException("event " + event.type() + " has no data");
        }
        try {
            JsonNode node = JSON.readTree(event.data());
            if (node == null || !node.isObject()) {
                throw new InvalidEventException("event data must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidEventException("event data is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : fallback;
    }
}
