package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.PrinterColumnFormat;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A restic repository: its backend and the Secret with its password and credentials, which
 * namespaces may use it ({@link UsagePolicies}), and in its status the result of the last backup.
 * Stash's {@code stash.appscode.com/v1alpha1} Repository with another apiVersion.
 */
@Group("stowage.dev")
@Version("v1alpha1")
@Plural("repositories")
@ShortNames("repo")
@JsonInclude(JsonInclude.Include.NON_NULL)
@AdditionalPrinterColumn(name = "Integrity", type = AdditionalPrinterColumn.Type.BOOLEAN,
        jsonPath = ".status.integrity")
@AdditionalPrinterColumn(name = "Size", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.totalSize")
@AdditionalPrinterColumn(name = "Snapshot-Count", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.snapshotCount")
@AdditionalPrinterColumn(name = "Last-Successful-Backup", type = AdditionalPrinterColumn.Type.DATE,
        format = PrinterColumnFormat.DATE_TIME, jsonPath = ".status.lastBackupTime")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class Repository extends CustomResource<RepositorySpec, RepositoryStatus> implements Namespaced {
}
