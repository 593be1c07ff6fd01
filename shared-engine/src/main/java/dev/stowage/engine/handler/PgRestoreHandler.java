package dev.stowage.engine.handler;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.SnapshotFilter;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventData;
import dev.stowage.engine.event.EventHandler;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.engine.event.Events;
import dev.stowage.engine.event.HostStats;
import dev.stowage.engine.event.InvalidEventException;
import dev.stowage.engine.event.RestoreRequest;
import dev.stowage.engine.event.SessionRef;
import dev.stowage.engine.event.SessionReport;
import dev.stowage.engine.postgres.PgClients;
import dev.stowage.engine.postgres.PgRestore;
import dev.stowage.engine.restorer.Dumper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code restore} function for PostgreSQL: {@code restore.requested} → a snapshot's dump
 * streamed into psql or pg_restore → {@code restore.completed} or {@code restore.failed}.
 */
public final class PgRestoreHandler implements EventHandler {
    /** Task name of inline requests that name none. */
    public static final String TASK = "pg-restore";

    private final Sessions sessions;
    private final InlinePlans inline;
    private final Repositories repositories;
    private final PgClients clients;
    private final String source;
    private final Clock clock;

    public PgRestoreHandler(Sessions sessions, InlinePlans inline, Repositories repositories, PgClients clients,
                            String source, Clock clock) {
        this.sessions = sessions;
        this.inline = inline;
        this.repositories = repositories;
        this.clients = clients;
        this.source = source;
        this.clock = clock;
    }

    @Override
    public Optional<CloudEvent> handle(CloudEvent event) {
        if (!EventTypes.RESTORE_REQUESTED.equals(event.type())) {
            throw new InvalidEventException("restore takes " + EventTypes.RESTORE_REQUESTED + " events, not "
                    + event.type());
        }
        RestoreRequest request = EventData.read(event, RestoreRequest.class);
        String task = event.extension(EventTypes.TASK) != null ? event.extension(EventTypes.TASK) : TASK;
        SessionRef session = request.session();
        String requestId = Events.requestId(event);
        if (session != null && sessions.claimRestore(session, requestId) != Sessions.Claim.CLAIMED) {
            return Optional.empty();
        }
        Instant start = clock.instant();
        String repositoryUrl = request.repository() != null ? request.repository().url() : null;
        String host = null;
        try {
            RestorePlan plan = session != null ? sessions.restorePlan(session) : inline.restore(request, task);
            repositoryUrl = plan.repository().url();
            host = plan.sourceHost() != null ? plan.sourceHost() : InlinePlans.DEFAULT_HOST;
            Snapshot snapshot = restore(plan);
            HostStats stats = new HostStats(host, HostStats.SUCCEEDED,
                    Reports.duration(Duration.between(start, clock.instant())), null, List.of(Reports.snapshot(snapshot)));
            return Optional.of(reply(EventTypes.RESTORE_COMPLETED, session, task, repositoryUrl, requestId, stats));
        } catch (InvalidEventException e) {
            if (session == null) {
                throw e;
            }
            return Optional.of(failed(session, task, repositoryUrl, requestId, host, start, e));
        } catch (Exception e) {
            return Optional.of(failed(session, task, repositoryUrl, requestId, host, start, e));
        }
    }

    private Snapshot restore(RestorePlan plan) throws Exception {
        try (Repositories.Locked locked = repositories.open(plan.repository(), false, false, true)) {
            SnapshotFilter filter = new SnapshotFilter(plan.sourceHost() == null ? List.of() : List.of(plan.sourceHost()),
                    List.of(), List.of());
            Snapshot snapshot = Snapshots.find(locked.repository(), plan.snapshot(), filter);
            if (snapshot.paths().size() != 1) {
                throw new StowageException("snapshot " + snapshot.id().shortHex() + " holds " + snapshot.paths()
                        + ", not a single database dump");
            }
            new PgRestore(new Dumper(locked.repository()), clients).run(snapshot, snapshot.paths().get(0), plan.database(),
                    plan.args(), plan.createDatabase());
            return snapshot;
        }
    }

    private CloudEvent failed(SessionRef session, String task, String repositoryUrl, String requestId, String host,
                              Instant start, Exception e) {
        String reason = e instanceof StowageException || e instanceof java.io.IOException ? e.getMessage() : e.toString();
        HostStats stats = new HostStats(host, HostStats.FAILED,
                Reports.duration(Duration.between(start, clock.instant())), reason, List.of());
        return reply(EventTypes.RESTORE_FAILED, session, task, repositoryUrl, requestId, stats);
    }

    private CloudEvent reply(String type, SessionRef session, String task, String repositoryUrl, String requestId,
                             HostStats stats) {
        return Events.create(type, source, session != null ? "restoresessions/" + session.name() : null,
                Replies.extensions(task, session), new SessionReport(session, task, repositoryUrl, requestId, stats));
    }
}
