package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One run of a {@link BackupConfiguration} (its {@code spec.invoker}); the status records the
 * phase and, per target and host, the snapshots taken.
 * Stash's {@code stash.appscode.com/v1beta1} BackupSession with another apiVersion.
 */
@Group("stowage.dev")
@Version("v1alpha1")
@JsonInclude(JsonInclude.Include.NON_NULL)
@AdditionalPrinterColumn(name = "Invoker", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.invoker.name")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Duration", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.sessionDuration")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class BackupSession extends CustomResource<BackupSessionSpec, BackupSessionStatus> implements Namespaced {
    /** Label naming the BackupConfiguration a session belongs to (Stash: stash.appscode.com/backup-configuration). */
    public static final String LABEL_BACKUP_CONFIGURATION = "stowage.dev/backup-configuration";
}
