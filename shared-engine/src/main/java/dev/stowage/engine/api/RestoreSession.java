package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One restore from a {@link Repository} into a target, with per-host rules choosing snapshots
 * and paths; the status records the phase and each host's result.
 * Stash's {@code stash.appscode.com/v1beta1} RestoreSession with another apiVersion.
 */
@Group("stowage.dev")
@Version("v1alpha1")
@ShortNames("restore")
@JsonInclude(JsonInclude.Include.NON_NULL)
@AdditionalPrinterColumn(name = "Repository", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.repository.name")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Duration", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.sessionDuration")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class RestoreSession extends CustomResource<RestoreSessionSpec, RestoreSessionStatus> implements Namespaced {
}
