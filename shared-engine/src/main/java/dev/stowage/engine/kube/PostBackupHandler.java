package dev.stowage.engine.kube;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.api.BackupConfiguration;
import dev.stowage.engine.api.BackupSession;
import dev.stowage.engine.api.BackupSessionPhase;
import dev.stowage.engine.api.BackupSessionStatus;
import dev.stowage.engine.api.BackupTargetStatus;
import dev.stowage.engine.api.FileStats;
import dev.stowage.engine.api.HostBackupStats;
import dev.stowage.engine.api.HostPhase;
import dev.stowage.engine.api.HostRestoreStats;
import dev.stowage.engine.api.Repository;
import dev.stowage.engine.api.RepositoryStatus;
import dev.stowage.engine.api.RestorePhase;
import dev.stowage.engine.api.RestoreSession;
import dev.stowage.engine.api.RestoreSessionStatus;
import dev.stowage.engine.api.SnapshotStats;
import dev.stowage.engine.api.TargetPhase;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventData;
import dev.stowage.engine.event.EventHandler;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.engine.event.HostStats;
import dev.stowage.engine.event.InvalidEventException;
import dev.stowage.engine.event.SessionRef;
import dev.stowage.engine.event.SessionReport;
import dev.stowage.engine.event.SnapshotReport;
import dev.stowage.engine.handler.Reports;
import dev.stowage.engine.handler.Repositories;
import dev.stowage.engine.handler.Retention;
import dev.stowage.engine.index.BlobLocation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code post-backup} function, Stash's {@code update-status}: on {@code backup.completed} or
 * {@code .failed} it applies the retention policy, updates the Repository's status, deletes
 * BackupSessions beyond {@code backupHistoryLimit}, records a Kubernetes Event and finally moves
 * the BackupSession to Succeeded or Failed; on {@code restore.*} it finishes the RestoreSession.
 * A {@code backup.requested} or {@code restore.requested} that Knative dead-lettered (its delivery
 * to the task function failed after the retries) fails the session it names, with the reason.
 *
 * <p>Idempotent: a session that has already finished is left alone, and the final transition is
 * written with the resourceVersion read at the start, so of two concurrent duplicates one wins.
 * It emits no reply.
 */
public final class PostBackupHandler implements EventHandler {
    private final KubernetesClient client;
    private final KubeSessions sessions;
    private final RepositoryResolver repositoryResolver;
    private final Repositories repositories;
    private final Clock clock;

    public PostBackupHandler(KubernetesClient client, KubeSessions sessions, RepositoryResolver repositoryResolver,
                             Repositories repositories, Clock clock) {
        this.client = client;
        this.sessions = sessions;
        this.repositoryResolver = repositoryResolver;
        this.repositories = repositories;
        this.clock = clock;
    }

    @Override
    public Optional<CloudEvent> handle(CloudEvent event) throws Exception {
        if (event.type().equals(EventTypes.BACKUP_REQUESTED) || event.type().equals(EventTypes.RESTORE_REQUESTED)) {
            if (!DeadLetters.isDeadLettered(event)) {
                throw new InvalidEventException("post-backup takes " + event.type() + " only as a dead letter (with "
                        + "the " + EventTypes.DEAD_LETTER_CODE + " or " + EventTypes.DEAD_LETTER_DESTINATION
                        + " extension Knative adds when a delivery failed)");
            }
            deadLetter(event);
            return Optional.empty();
        }
        boolean backup = switch (event.type()) {
            case EventTypes.BACKUP_COMPLETED, EventTypes.BACKUP_FAILED -> true;
            case EventTypes.RESTORE_COMPLETED, EventTypes.RESTORE_FAILED -> false;
            default -> throw new InvalidEventException("post-backup takes backup/restore completed and failed "
                    + "events, and dead-lettered requests, not " + event.type());
        };
        SessionReport report = EventData.read(event, SessionReport.class);
        if (report.stats() == null) {
            throw new InvalidEventException("field \"stats\" is missing");
        }
        if (report.session() == null) {
            return Optional.empty(); // an inline request: no session to record it in
        }
        boolean succeeded = report.stats().succeeded()
                && (event.type().equals(EventTypes.BACKUP_COMPLETED) || event.type().equals(EventTypes.RESTORE_COMPLETED));
        if (backup) {
            recordBackup(report.session(), report.stats(), succeeded);
        } else {
            recordRestore(report.session(), report.stats(), succeeded);
        }
        return Optional.empty();
    }

    /**
     * A request whose delivery to its task function failed for good (a 5xx or no answer after the
     * retries, or a 4xx): the session it names, if any and not finished, becomes Failed with the
     * reason Knative recorded, so that a crashing function does not leave it Pending or Running.
     */
    private void deadLetter(CloudEvent event) throws Exception {
        Optional<SessionRef> ref = DeadLetters.session(event);
        if (ref.isEmpty()) {
            return; // an inline request: no session to record the failure in
        }
        HostStats stats = new HostStats(null, HostStats.FAILED, null, DeadLetters.reason(event), List.of());
        if (event.type().equals(EventTypes.BACKUP_REQUESTED)) {
            recordBackup(ref.get(), stats, false);
        } else {
            recordRestore(ref.get(), stats, false);
        }
    }

    private void recordBackup(SessionRef ref, HostStats stats, boolean succeeded) throws Exception {
        BackupSession session = client.resources(BackupSession.class).inNamespace(ref.namespace())
                .withName(ref.name()).get();
        if (session == null || finished(session)) {
            return;
        }
        List<Condition> conditions = new ArrayList<>();
        String error = stats.error();
        BackupConfiguration config = null;
        try {
            config = sessions.configuration(session);
        } catch (StowageException e) {
            error = error != null ? error : e.getMessage();
        }
        if (config != null && succeeded) {
            try {
                Repository repo = repositoryResolver.find(config.getSpec().getRepository(), ref.namespace());
                Long removed = applyRetentionAndRecord(repo, config, ref, conditions);
                conditions.add(condition("RetentionPolicyApplied", true, "Applied",
                        removed == null ? "no retention policy" : removed + " snapshots removed"));
            } catch (Exception e) {
                conditions.add(condition("RetentionPolicyApplied", false, "Failed", e.getMessage()));
            }
        }
        BackupSessionPhase phase = succeeded ? BackupSessionPhase.Succeeded : BackupSessionPhase.Failed;
        if (finishBackup(session, config, stats, phase, error, conditions) && config != null) {
            cleanHistory(config);
            recordEvent(session, succeeded ? "Normal" : "Warning", succeeded ? "BackupSucceeded" : "BackupFailed",
                    succeeded ? "backup succeeded: snapshot " + snapshotNames(stats) : "backup failed: " + error);
        }
    }

    /** Applies retention and writes the Repository's status; returns snapshots removed, or null without a policy. */
    private Long applyRetentionAndRecord(Repository repo, BackupConfiguration config, SessionRef ref,
                                         List<Condition> conditions) throws Exception {
        Long removed = null;
        long snapshotCount;
        long totalSize = 0;
        OffsetDateTime first = null;
        OffsetDateTime last = null;
        boolean retention = config.getSpec().getRetentionPolicy() != null;
        try (Repositories.Locked locked = repositories.open(repositoryResolver.target(repo), retention, false)) {
            if (retention) {
                Retention.Outcome outcome = Retention.apply(locked.repository(), config.getSpec().getRetentionPolicy(),
                        KubeSessions.CONFIG_TAG + ref.namespace() + "/" + config.getMetadata().getName(),
                        OffsetDateTime.now(clock));
                removed = (long) outcome.removed();
            }
            List<Snapshot> all = Snapshots.loadAll(locked.repository());
            snapshotCount = all.size();
            for (Snapshot s : all) {
                first = first == null || s.time().isBefore(first) ? s.time() : first;
                last = last == null || s.time().isAfter(last) ? s.time() : last;
            }
            locked.repository().loadIndex();
            for (BlobType type : BlobType.values()) {
                for (BlobLocation location : locked.repository().index().blobs(type)) {
                    totalSize += location.blob().length();
                }
            }
        }
        Repository latest = client.resources(Repository.class).inNamespace(repo.getMetadata().getNamespace())
                .withName(repo.getMetadata().getName()).get();
        RepositoryStatus status = latest.getStatus() != null ? latest.getStatus() : new RepositoryStatus();
        if (first != null && status.getFirstBackupTime() == null) {
            status.setFirstBackupTime(first.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString());
        }
        if (last != null) {
            status.setLastBackupTime(last.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString());
        }
        status.setSnapshotCount(snapshotCount);
        status.setTotalSize(Reports.bytes(totalSize));
        if (removed != null) {
            status.setSnapshotsRemovedOnLastCleanup(removed);
        }
        status.setObservedGeneration(latest.getMetadata().getGeneration());
        latest.setStatus(status);
        client.resource(latest).updateStatus();
        return removed;
    }

    /** Writes the final phase with the resourceVersion read earlier; false if another delivery got there first. */
    private boolean finishBackup(BackupSession session, BackupConfiguration config, HostStats stats,
                                 BackupSessionPhase phase, String error, List<Condition> conditions) {
        BackupSession current = session;
        for (int attempt = 0; attempt < 5; attempt++) {
            BackupSessionStatus status = current.getStatus() != null ? current.getStatus() : new BackupSessionStatus();
            status.setPhase(phase);
            status.setSessionDuration(sessionDuration(current));
            BackupTargetStatus target = new BackupTargetStatus();
            if (config != null && config.getSpec().getTarget() != null) {
                target.setRef(config.getSpec().getTarget().getRef());
            }
            target.setTotalHosts(1);
            target.setPhase(phase == BackupSessionPhase.Succeeded ? TargetPhase.Succeeded : TargetPhase.Failed);
            target.setStats(List.of(hostStats(stats, error)));
            status.setTargets(List.of(target));
            status.setConditions(conditions.isEmpty() ? status.getConditions() : conditions);
            current.setStatus(status);
            try {
                client.resource(current).updateStatus();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                current = client.resources(BackupSession.class).inNamespace(session.getMetadata().getNamespace())
                        .withName(session.getMetadata().getName()).get();
                if (current == null || finished(current)) {
                    return false;
                }
            }
        }
        return false;
    }

    private void recordRestore(SessionRef ref, HostStats stats, boolean succeeded) {
        RestoreSession current = client.resources(RestoreSession.class).inNamespace(ref.namespace())
                .withName(ref.name()).get();
        for (int attempt = 0; attempt < 5 && current != null && !finished(current); attempt++) {
            RestoreSessionStatus status = current.getStatus() != null ? current.getStatus() : new RestoreSessionStatus();
            status.setPhase(succeeded ? RestorePhase.Succeeded : RestorePhase.Failed);
            status.setTotalHosts(1);
            status.setSessionDuration(sessionDuration(current));
            HostRestoreStats host = new HostRestoreStats();
            host.setHostname(stats.hostname());
            host.setPhase(succeeded ? HostPhase.Succeeded : HostPhase.Failed);
            host.setDuration(stats.duration());
            host.setError(stats.error());
            status.setStats(List.of(host));
            status.setConditions(List.of(condition("RestoreCompleted", succeeded, succeeded ? "Succeeded" : "Failed",
                    succeeded ? "restore completed" : stats.error())));
            current.setStatus(status);
            try {
                client.resource(current).updateStatus();
                recordEvent(current, succeeded ? "Normal" : "Warning", succeeded ? "RestoreSucceeded" : "RestoreFailed",
                        succeeded ? "restore succeeded" : "restore failed: " + stats.error());
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                current = client.resources(RestoreSession.class).inNamespace(ref.namespace()).withName(ref.name()).get();
            }
        }
    }

    /** Deletes finished BackupSessions of {@code config} beyond its backupHistoryLimit, oldest first. */
    private void cleanHistory(BackupConfiguration config) {
        int limit = config.getSpec().getBackupHistoryLimit() == null ? 1 : config.getSpec().getBackupHistoryLimit();
        List<BackupSession> finished = client.resources(BackupSession.class)
                .inNamespace(config.getMetadata().getNamespace())
                .withLabel(BackupSession.LABEL_BACKUP_CONFIGURATION, config.getMetadata().getName())
                .list().getItems().stream()
                .filter(PostBackupHandler::finished)
                .sorted(Comparator.comparing((BackupSession s) -> s.getMetadata().getCreationTimestamp()).reversed()
                        .thenComparing(s -> s.getMetadata().getName(), Comparator.reverseOrder()))
                .toList();
        for (BackupSession old : finished.subList(Math.min(limit, finished.size()), finished.size())) {
            client.resource(old).delete();
        }
    }

    private void recordEvent(HasMetadata about, String type, String reason, String message) {
        try {
            String now = clock.instant().toString();
            client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(about.getMetadata().getName() + "." + UUID.randomUUID()).endMetadata()
                    .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(about.getKind())
                    .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
                    .withUid(about.getMetadata().getUid()).endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(message).withFirstTimestamp(now)
                    .withLastTimestamp(now).withCount(1).withNewSource().withComponent("stowage-post-backup").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            // events are informational; a session's status is the record that matters
        }
    }

    private String sessionDuration(HasMetadata session) {
        String created = session.getMetadata().getCreationTimestamp();
        if (created == null) {
            return null;
        }
        return Reports.duration(Duration.between(Instant.parse(created), clock.instant()));
    }

    private static HostBackupStats hostStats(HostStats stats, String error) {
        HostBackupStats host = new HostBackupStats();
        host.setHostname(stats.hostname());
        host.setPhase(error == null && stats.succeeded() ? HostPhase.Succeeded : HostPhase.Failed);
        host.setDuration(stats.duration());
        host.setError(error);
        List<SnapshotStats> snapshots = new ArrayList<>();
        for (SnapshotReport r : stats.snapshots()) {
            SnapshotStats s = new SnapshotStats();
            s.setName(r.name());
            s.setPath(r.path());
            s.setTotalSize(r.totalSize());
            s.setUploaded(r.uploaded());
            s.setProcessingTime(r.processingTime());
            if (r.fileStats() != null) {
                FileStats f = new FileStats();
                f.setTotalFiles(r.fileStats().totalFiles());
                f.setNewFiles(r.fileStats().newFiles());
                f.setModifiedFiles(r.fileStats().modifiedFiles());
                f.setUnmodifiedFiles(r.fileStats().unmodifiedFiles());
                s.setFileStats(f);
            }
            snapshots.add(s);
        }
        host.setSnapshots(snapshots);
        return host;
    }

    private static String snapshotNames(HostStats stats) {
        return String.join(", ", stats.snapshots().stream().map(SnapshotReport::name).toList());
    }

    private Condition condition(String type, boolean status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
                .withMessage(message).withLastTransitionTime(clock.instant().toString()).build();
    }

    static boolean finished(BackupSession s) {
        BackupSessionPhase p = s.getStatus() == null ? null : s.getStatus().getPhase();
        return p == BackupSessionPhase.Succeeded || p == BackupSessionPhase.Failed || p == BackupSessionPhase.Skipped;
    }

    static boolean finished(RestoreSession s) {
        RestorePhase p = s.getStatus() == null ? null : s.getStatus().getPhase();
        return p == RestorePhase.Succeeded || p == RestorePhase.Failed || p == RestorePhase.Invalid;
    }
}
