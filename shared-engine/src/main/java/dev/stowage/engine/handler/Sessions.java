package dev.stowage.engine.handler;

import dev.stowage.engine.event.InvalidEventException;
import dev.stowage.engine.event.SessionRef;

/**
 * BackupSessions and RestoreSessions, as handlers need them: claiming one for a delivery, and
 * resolving it into a plan. The Kubernetes implementation lives in {@code dev.stowage.engine.kube}.
 */
public interface Sessions {
    /** Outcome of trying to claim a session for one delivery. */
    enum Claim {
        /** This delivery owns the session now and must report on it. */
        CLAIMED,
        /** The session already finished (or was skipped): a redelivery, nothing to do. */
        FINISHED,
        /** Another delivery holds a live claim: a concurrent duplicate, nothing to do. */
        HELD_ELSEWHERE
    }

    /** Claims a BackupSession for the delivery {@code requestId}; fails if the session does not exist. */
    Claim claimBackup(SessionRef session, String requestId);

    /** Claims a RestoreSession for the delivery {@code requestId}. */
    Claim claimRestore(SessionRef session, String requestId);

    /** Resolves a BackupSession (its configuration, repository, target and secrets) into a plan. */
    BackupPlan backupPlan(SessionRef session);

    /** Resolves a RestoreSession into a plan. */
    RestorePlan restorePlan(SessionRef session);

    /** For processes without a cluster: session requests are refused, naming why. */
    static Sessions none() {
        return new Sessions() {
            @Override
            public Claim claimBackup(SessionRef session, String requestId) {
                throw refuse(session);
            }

            @Override
            public Claim claimRestore(SessionRef session, String requestId) {
                throw refuse(session);
            }

            @Override
            public BackupPlan backupPlan(SessionRef session) {
                throw refuse(session);
            }

            @Override
            public RestorePlan restorePlan(SessionRef session) {
                throw refuse(session);
            }

            private InvalidEventException refuse(SessionRef session) {
                return new InvalidEventException("session " + session + " cannot be resolved: this function runs "
                        + "without Kubernetes API access; send an inline request instead");
            }
        };
    }
}
