package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Scheduled backups of one target into one {@link Repository}: the schedule, the task, the
 * retention policy applied after each backup. Each run is a {@link BackupSession}.
 * Stash's {@code stash.appscode.com/v1beta1} BackupConfiguration with another apiVersion.
 */
@Group("stowage.dev")
@Version("v1alpha1")
@ShortNames("bc")
@JsonInclude(JsonInclude.Include.NON_NULL)
@AdditionalPrinterColumn(name = "Task", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.task.name")
@AdditionalPrinterColumn(name = "Schedule", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.schedule")
@AdditionalPrinterColumn(name = "Paused", type = AdditionalPrinterColumn.Type.BOOLEAN, jsonPath = ".spec.paused")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class BackupConfiguration extends CustomResource<BackupConfigurationSpec, BackupConfigurationStatus>
        implements Namespaced {
}
