package dev.stowage.engine.event;

/**
 * Data of the {@code completed} and {@code failed} replies of both backups and restores.
 *
 * @param session    the session the request named, or null for an inline request
 * @param task       the task that ran, e.g. {@code pg-backup}
 * @param repository the repository URL (never credentials)
 * @param requestId  {@code source}+{@code id} of the request this reports on
 * @param stats      what happened on the one host this function served
 */
public record SessionReport(SessionRef session, String task, String repository, String requestId, HostStats stats) {
}
