package dev.stowage.engine.kube;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.api.BackupConfiguration;
import dev.stowage.engine.api.BackupSession;
import dev.stowage.engine.api.BackupSessionPhase;
import dev.stowage.engine.api.BackupSessionStatus;
import dev.stowage.engine.api.Param;
import dev.stowage.engine.api.Repository;
import dev.stowage.engine.api.RestorePhase;
import dev.stowage.engine.api.RestoreRule;
import dev.stowage.engine.api.RestoreSession;
import dev.stowage.engine.api.RestoreSessionStatus;
import dev.stowage.engine.api.TaskRef;
import dev.stowage.engine.event.InvalidEventException;
import dev.stowage.engine.event.SessionRef;
import dev.stowage.engine.handler.BackupPlan;
import dev.stowage.engine.handler.InlinePlans;
import dev.stowage.engine.handler.RestorePlan;
import dev.stowage.engine.handler.Sessions;
import dev.stowage.engine.postgres.DumpCommand;
import dev.stowage.engine.postgres.PgConnection;
import dev.stowage.engine.postgres.ShellArgs;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Sessions through the Kubernetes API.
 *
 * <p>A delivery claims a session by writing claim annotations with the resourceVersion it read
 * (a concurrent duplicate gets a 409 and backs off), then sets the phase to Running. A claim older
 * than the session's time-out (default {@link #DEFAULT_LEASE}) is considered abandoned, so a
 * redelivery after a crash can take the session over; the snapshot tag makes that safe.
 */
public final class KubeSessions implements Sessions {
    public static final String CLAIMED_BY = "stowage.dev/claimed-by";
    public static final String CLAIMED_AT = "stowage.dev/claimed-at";
    /** Snapshot tag prefix naming the BackupSession a snapshot was made for. */
    public static final String SESSION_TAG = "stowage.dev/session=";
    /** Snapshot tag prefix naming the BackupConfiguration. */
    public static final String CONFIG_TAG = "stowage.dev/config=";
    public static final Duration DEFAULT_LEASE = Duration.ofHours(1);

    private final KubernetesClient client;
    private final RepositoryResolver repositories;
    private final AppBindings appBindings;
    private final Clock clock;

    public KubeSessions(KubernetesClient client, RepositoryResolver repositories, AppBindings appBindings, Clock clock) {
        this.client = client;
        this.repositories = repositories;
        this.appBindings = appBindings;
        this.clock = clock;
    }

    @Override
    public Claim claimBackup(SessionRef ref, String requestId) {
        return claim(BackupSession.class, ref, requestId, session -> {
            BackupSessionPhase phase = session.getStatus() == null ? null : session.getStatus().getPhase();
            return phase == BackupSessionPhase.Succeeded || phase == BackupSessionPhase.Failed
                    || phase == BackupSessionPhase.Skipped;
        }, session -> backupTimeout(session), session -> {
            BackupSessionStatus status = session.getStatus() != null ? session.getStatus() : new BackupSessionStatus();
            status.setPhase(BackupSessionPhase.Running);
            session.setStatus(status);
        });
    }

    @Override
    public Claim claimRestore(SessionRef ref, String requestId) {
        return claim(RestoreSession.class, ref, requestId, session -> {
            RestorePhase phase = session.getStatus() == null ? null : session.getStatus().getPhase();
            return phase == RestorePhase.Succeeded || phase == RestorePhase.Failed || phase == RestorePhase.Invalid;
        }, session -> session.getSpec() == null ? null : session.getSpec().getTimeOut(), session -> {
            RestoreSessionStatus status = session.getStatus() != null ? session.getStatus() : new RestoreSessionStatus();
            status.setPhase(RestorePhase.Running);
            session.setStatus(status);
        });
    }

    /**
     * Claims a session: annotations written with the resourceVersion just read (a 409 means another
     * delivery moved first: read again and decide again), then the phase set to Running.
     */
    private <T extends HasMetadata> Claim claim(Class<T> type, SessionRef ref, String requestId,
                                                Predicate<T> finished, Function<T, String> timeOut,
                                                Consumer<T> markRunning) {
        for (int attempt = 0; attempt < 5; attempt++) {
            T session = client.resources(type).inNamespace(ref.namespace()).withName(ref.name()).get();
            if (session == null) {
                throw new InvalidEventException(type.getSimpleName() + " " + ref + " not found");
            }
            if (finished.test(session)) {
                return Claim.FINISHED;
            }
            // the claim annotations are written before the phase becomes Running, so a live claim
            // counts even while the phase is still unset: the claimant is between the two writes
            if (liveClaim(session, lease(timeOut.apply(session)))) {
                return Claim.HELD_ELSEWHERE;
            }
            T claimed;
            try {
                claimed = client.resource(annotateClaim(session, requestId)).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    continue;
                }
                throw e;
            }
            markRunning.accept(claimed);
            client.resource(claimed).updateStatus();
            return Claim.CLAIMED;
        }
        return Claim.HELD_ELSEWHERE;
    }

    @Override
    public BackupPlan backupPlan(SessionRef ref) {
        BackupSession session = client.resources(BackupSession.class).inNamespace(ref.namespace())
                .withName(ref.name()).require();
        BackupConfiguration config = configuration(session);
        Repository repo = repositories.find(config.getSpec().getRepository(), ref.namespace());
        Map<String, String> params = params(config.getSpec().getTask());
        if (config.getSpec().getTarget() == null) {
            throw new StowageException("BackupConfiguration " + ref.namespace() + "/" + config.getMetadata().getName()
                    + " has no spec.target");
        }
        PgConnection connection = appBindings.connection(config.getSpec().getTarget().getRef(), ref.namespace(),
                params.get("database"));
        // Stash's PostgreSQL task dumps the whole server unless told otherwise
        DumpCommand dump = DumpCommand.of(params.getOrDefault("backupCMD", DumpCommand.PG_DUMPALL), params.get("args"));
        String sessionTag = SESSION_TAG + ref;
        return new BackupPlan(ref, taskName(config.getSpec().getTask()), repositories.target(repo), connection, dump,
                InlinePlans.DEFAULT_HOST,
                List.of(CONFIG_TAG + ref.namespace() + "/" + config.getMetadata().getName(), sessionTag), sessionTag);
    }

    @Override
    public RestorePlan restorePlan(SessionRef ref) {
        RestoreSession session = client.resources(RestoreSession.class).inNamespace(ref.namespace())
                .withName(ref.name()).require();
        Repository repo = repositories.find(session.getSpec().getRepository(), ref.namespace());
        Map<String, String> params = params(session.getSpec().getTask());
        if (session.getSpec().getTarget() == null) {
            throw new StowageException("RestoreSession " + ref + " has no spec.target");
        }
        String targetDatabase = params.get("targetDatabase");
        PgConnection connection = appBindings.connection(session.getSpec().getTarget().getRef(), ref.namespace(),
                targetDatabase);
        List<RestoreRule> rules = session.getSpec().getTarget().getRules();
        RestoreRule rule = rules == null || rules.isEmpty() ? null : rules.get(0);
        String snapshot = rule != null && rule.getSnapshots() != null && !rule.getSnapshots().isEmpty()
                ? rule.getSnapshots().get(0) : "latest";
        String sourceHost = rule != null && rule.getSourceHost() != null && !rule.getSourceHost().isEmpty()
                ? rule.getSourceHost() : null;
        return new RestorePlan(ref, taskName(session.getSpec().getTask()), repositories.target(repo), snapshot,
                sourceHost, connection, targetDatabase != null, ShellArgs.split(params.getOrDefault("args", "")));
    }

    /** The BackupConfiguration that invoked {@code session}. */
    public BackupConfiguration configuration(BackupSession session) {
        String namespace = session.getMetadata().getNamespace();
        if (session.getSpec() == null || session.getSpec().getInvoker() == null
                || session.getSpec().getInvoker().getName() == null) {
            throw new StowageException("BackupSession " + namespace + "/" + session.getMetadata().getName()
                    + " has no spec.invoker");
        }
        String name = session.getSpec().getInvoker().getName();
        BackupConfiguration config = client.resources(BackupConfiguration.class).inNamespace(namespace)
                .withName(name).get();
        if (config == null) {
            throw new StowageException("BackupConfiguration " + namespace + "/" + name + " (the invoker of "
                    + "BackupSession " + session.getMetadata().getName() + ") not found");
        }
        return config;
    }

    /** Whether {@code resource} carries a claim younger than {@code lease}. */
    boolean liveClaim(HasMetadata resource, Duration lease) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        String at = annotations == null ? null : annotations.get(CLAIMED_AT);
        if (at == null) {
            return false;
        }
        try {
            return Instant.parse(at).plus(lease).isAfter(clock.instant());
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** The lease of a claim: the session's time-out, or the default. */
    static Duration lease(String timeOut) {
        if (timeOut == null || timeOut.isEmpty()) {
            return DEFAULT_LEASE;
        }
        return GoDurations.parse(timeOut);
    }

    private String backupTimeout(BackupSession session) {
        try {
            return configuration(session).getSpec().getTimeOut();
        } catch (StowageException e) {
            return null;
        }
    }

    private <T extends HasMetadata> T annotateClaim(T resource, String requestId) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(resource.getMetadata().getAnnotations());
        annotations.put(CLAIMED_BY, requestId.length() > 250 ? requestId.substring(0, 250) : requestId);
        annotations.put(CLAIMED_AT, clock.instant().toString());
        resource.getMetadata().setAnnotations(annotations);
        return resource;
    }

    static Map<String, String> params(TaskRef task) {
        Map<String, String> params = new HashMap<>();
        if (task != null && task.getParams() != null) {
            for (Param p : task.getParams()) {
                params.put(p.getName(), p.getValue());
            }
        }
        return params;
    }

    static String taskName(TaskRef task) {
        return task == null || task.getName() == null ? null : task.getName();
    }
}
