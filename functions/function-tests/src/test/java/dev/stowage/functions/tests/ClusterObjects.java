package dev.stowage.functions.tests;

import dev.stowage.engine.api.BackupConfiguration;
import dev.stowage.engine.api.BackupSession;
import dev.stowage.engine.kube.SchedulerHandler;
import io.fabric8.knative.client.KnativeClient;
import io.fabric8.knative.sources.v1.PingSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** Reading and creating the test cluster's objects, for the tests that drive functions through it. */
final class ClusterObjects {
    private ClusterObjects() {
    }

    /** Creates the object a YAML manifest describes. */
    static void apply(KubernetesClient client, String yaml) {
        HasMetadata resource = client.getKubernetesSerialization().unmarshal(yaml);
        client.resource(resource).create();
    }

    /**
     * What a PostgreSQL backup in namespace demo needs: the repository's password in Secret
     * repo-secret, the database's credentials in Secret db-auth and AppBinding app-db pointing
     * at {@code database} on the local server.
     */
    static void postgresApp(KubernetesClient client, String repositoryPassword, String database) {
        client.secrets().inNamespace("demo").resource(new SecretBuilder().withNewMetadata().withName("repo-secret")
                .endMetadata().withStringData(Map.of("RESTIC_PASSWORD", repositoryPassword)).build()).create();
        client.secrets().inNamespace("demo").resource(new SecretBuilder().withNewMetadata().withName("db-auth")
                .endMetadata().withStringData(Map.of("POSTGRES_USER", "postgres", "POSTGRES_PASSWORD", "unused"))
                .build()).create();
        apply(client, """
                apiVersion: appcatalog.appscode.com/v1alpha1
                kind: AppBinding
                metadata: {name: app-db, namespace: demo}
                spec:
                  type: kubedb.com/postgres
                  clientConfig: {url: "postgres://127.0.0.1:5432/%s?sslmode=disable"}
                  secret: {name: db-auth}
                """.formatted(database));
    }

    /** BackupConfiguration demo/nightly: pg_dump of app-db into {@code repository}, keeping the last two. */
    static void nightlyPgBackup(KubernetesClient client, String repository) {
        apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: nightly, namespace: demo}
                spec:
                  schedule: "0 3 * * *"
                  task:
                    name: pg-backup
                    params: [{name: backupCMD, value: pg_dump}]
                  repository: {name: %s}
                  target:
                    ref: {apiVersion: appcatalog.appscode.com/v1alpha1, kind: AppBinding, name: app-db}
                  retentionPolicy: {name: keep-last-2, keepLast: 2, prune: true}
                  backupHistoryLimit: 2
                """.formatted(repository));
    }

    /** RestoreSession demo/{@code name}: the latest snapshot of host-0 in {@code repository} into a new database. */
    static void pgRestoreSession(KubernetesClient client, String name, String repository, String targetDatabase) {
        apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: RestoreSession
                metadata: {name: %s, namespace: demo}
                spec:
                  repository: {name: %s}
                  task: {name: pg-restore, params: [{name: targetDatabase, value: %s}]}
                  target:
                    ref: {apiVersion: appcatalog.appscode.com/v1alpha1, kind: AppBinding, name: app-db}
                    rules: [{snapshots: [latest], sourceHost: host-0}]
                """.formatted(name, repository, targetDatabase));
    }

    /** The PingSource the scheduler keeps for configuration {@code config}, or null. */
    static PingSource pingSource(KubernetesClient client, String namespace, String config) {
        return client.adapt(KnativeClient.class).pingSources().inNamespace(namespace)
                .withName(SchedulerHandler.pingSourceName(config)).get();
    }

    static BackupConfiguration config(KubernetesClient client, String namespace, String name) {
        return client.resources(BackupConfiguration.class).inNamespace(namespace).withName(name).get();
    }

    static BackupSession session(KubernetesClient client, String namespace, String name) {
        return client.resources(BackupSession.class).inNamespace(namespace).withName(name).get();
    }
}
