package dev.stowage.engine.handler;

import dev.stowage.engine.event.BackupRequest;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.Events;
import dev.stowage.engine.event.PostgresTarget;
import dev.stowage.engine.event.RepositoryAddress;
import dev.stowage.engine.event.RestoreRequest;
import dev.stowage.engine.event.SecretRef;
import dev.stowage.engine.postgres.DumpCommand;
import dev.stowage.engine.postgres.PgConnection;
import dev.stowage.engine.postgres.ShellArgs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Resolves inline requests (no cluster): secrets come from files or the environment. */
public final class InlinePlans {
    /** Snapshot tag prefix that makes a request's snapshot findable on redelivery. */
    public static final String REQUEST_TAG = "stowage.dev/request=";
    /** Default host of PostgreSQL snapshots, as Stash names a standalone database's host. */
    public static final String DEFAULT_HOST = "host-0";
    static final String DEFAULT_NAMESPACE = "default";

    private final Secrets secrets;

    public InlinePlans(Secrets secrets) {
        this.secrets = secrets;
    }

    BackupPlan backup(BackupRequest request, CloudEvent event, String task) {
        List<String> tags = new ArrayList<>(request.tags());
        String idempotencyTag = REQUEST_TAG + digest(Events.requestId(event));
        tags.add(idempotencyTag);
        Map<String, String> params = request.params();
        return new BackupPlan(null, task, repository(request.repository()), connection(request.postgres()),
                DumpCommand.of(params.get("backupCMD"), params.get("args")),
                request.host() != null ? request.host() : DEFAULT_HOST, tags, idempotencyTag);
    }

    RestorePlan restore(RestoreRequest request, String task) {
        Map<String, String> params = request.params();
        PgConnection connection = connection(request.postgres());
        String targetDatabase = params.get("targetDatabase");
        if (targetDatabase != null) {
            connection = connection.withDatabase(targetDatabase);
        }
        return new RestorePlan(null, task, repository(request.repository()),
                request.snapshot() != null ? request.snapshot() : "latest", request.sourceHost(), connection,
                targetDatabase != null, ShellArgs.split(params.getOrDefault("args", "")));
    }

    RepositoryTarget repository(RepositoryAddress address) {
        String password = secrets.resolve(address.password(), DEFAULT_NAMESPACE);
        Map<String, String> env = new java.util.HashMap<>();
        for (Map.Entry<String, SecretRef> e : address.env().entrySet()) {
            env.put(e.getKey(), secrets.resolve(e.getValue(), DEFAULT_NAMESPACE));
        }
        return new RepositoryTarget(address.url(), password, env);
    }

    private PgConnection connection(PostgresTarget target) {
        String password = target.password() == null ? null : secrets.resolve(target.password(), DEFAULT_NAMESPACE);
        return new PgConnection(target.host(), target.portOrDefault(), target.database(), target.user(), password);
    }

    static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
