package dev.stowage.engine.handler;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.archiver.Archiver;
import dev.stowage.engine.archiver.BackupOptions;
import dev.stowage.engine.archiver.BackupProgress;
import dev.stowage.engine.archiver.BackupResult;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.event.BackupRequest;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventData;
import dev.stowage.engine.event.EventHandler;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.engine.event.Events;
import dev.stowage.engine.event.HostStats;
import dev.stowage.engine.event.InvalidEventException;
import dev.stowage.engine.event.SessionRef;
import dev.stowage.engine.event.SessionReport;
import dev.stowage.engine.postgres.PgBackup;
import dev.stowage.engine.postgres.PgClients;
import dev.stowage.engine.repository.Identity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code pg-backup} function: {@code backup.requested} → pg_dump streamed into a snapshot →
 * {@code backup.completed} with Stash-shaped stats, or {@code backup.failed} with the reason.
 *
 * <p>Exactly-once effect under at-least-once delivery: a session is claimed before any work (a
 * duplicate gets no reply), and every snapshot carries a tag unique to its request, so a retry
 * after a crash finds the snapshot it already made instead of making a second one.
 */
public final class PgBackupHandler implements EventHandler {
    /** Task name of inline requests that name none. */
    public static final String TASK = "pg-backup";

    private final Sessions sessions;
    private final InlinePlans inline;
    private final Repositories repositories;
    private final PgClients clients;
    private final Identity identity;
    private final String source;
    private final Clock clock;
    /** Serialises concurrent deliveries of one request within this process (striped: no per-request state kept). */
    private final RequestLocks requestLocks = new RequestLocks();

    public PgBackupHandler(Sessions sessions, InlinePlans inline, Repositories repositories, PgClients clients,
                           Identity identity, String source, Clock clock) {
        this.sessions = sessions;
        this.inline = inline;
        this.repositories = repositories;
        this.clients = clients;
        this.identity = identity;
        this.source = source;
        this.clock = clock;
    }

    @Override
    public Optional<CloudEvent> handle(CloudEvent event) {
        if (!EventTypes.BACKUP_REQUESTED.equals(event.type())) {
            throw new InvalidEventException("pg-backup takes " + EventTypes.BACKUP_REQUESTED + " events, not "
                    + event.type());
        }
        BackupRequest request = EventData.read(event, BackupRequest.class);
        String task = event.extension(EventTypes.TASK) != null ? event.extension(EventTypes.TASK) : TASK;
        SessionRef session = request.session();
        String requestId = Events.requestId(event);
        if (session != null && sessions.claimBackup(session, requestId) != Sessions.Claim.CLAIMED) {
            return Optional.empty();
        }
        Instant start = clock.instant();
        String repositoryUrl = request.repository() != null ? request.repository().url() : null;
        try {
            BackupPlan plan = session != null ? sessions.backupPlan(session) : inline.backup(request, event, task);
            repositoryUrl = plan.repository().url();
            Snapshot snapshot = requestLocks.call(plan.idempotencyTag(), () -> run(plan));
            HostStats stats = new HostStats(plan.host(), HostStats.SUCCEEDED,
                    Reports.duration(Duration.between(start, clock.instant())), null,
                    List.of(Reports.snapshot(snapshot)));
            return Optional.of(reply(EventTypes.BACKUP_COMPLETED, session, task, repositoryUrl, requestId, stats));
        } catch (InvalidEventException e) {
            if (session == null) {
                throw e;
            }
            return Optional.of(failed(session, task, repositoryUrl, requestId, start, e));
        } catch (Exception e) {
            return Optional.of(failed(session, task, repositoryUrl, requestId, start, e));
        }
    }

    private Snapshot run(BackupPlan plan) throws Exception {
        try (Repositories.Locked locked = repositories.open(plan.repository(), false, true, true)) {
            Optional<Snapshot> earlier = Snapshots.loadAll(locked.repository()).stream()
                    .filter(s -> s.tags().contains(plan.idempotencyTag()))
                    .findFirst();
            if (earlier.isPresent()) {
                return earlier.get();
            }
            BackupOptions options = BackupOptions.defaults(plan.host()).withTags(plan.tags());
            Archiver archiver = new Archiver(locked.repository(), options, new BackupProgress(false), identity);
            BackupResult result = new PgBackup(archiver, clients).run(plan.database(), plan.dump());
            return result.snapshot();
        }
    }

    private CloudEvent failed(SessionRef session, String task, String repositoryUrl, String requestId, Instant start,
                              Exception e) {
        String reason = e instanceof StowageException || e instanceof java.io.IOException
                ? e.getMessage() : e.toString();
        HostStats stats = new HostStats(null, HostStats.FAILED,
                Reports.duration(Duration.between(start, clock.instant())), reason, List.of());
        return reply(EventTypes.BACKUP_FAILED, session, task, repositoryUrl, requestId, stats);
    }

    private CloudEvent reply(String type, SessionRef session, String task, String repositoryUrl, String requestId,
                             HostStats stats) {
        return Events.create(type, source, session != null ? "backupsessions/" + session.name() : null,
                Replies.extensions(task, session), new SessionReport(session, task, repositoryUrl, requestId, stats));
    }
}
