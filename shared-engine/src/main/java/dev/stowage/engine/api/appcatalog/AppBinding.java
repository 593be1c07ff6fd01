package dev.stowage.engine.api.appcatalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * KubeDB's (kmodules') AppBinding: how to connect to a database and which Secret holds its
 * credentials ({@link AppBindingCredentials}). Read as KubeDB writes it; fields Stowage does not
 * use are ignored. The generated CRD is for clusters without KubeDB.
 */
@Group("appcatalog.appscode.com")
@Version("v1alpha1")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@AdditionalPrinterColumn(name = "Type", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.type")
@AdditionalPrinterColumn(name = "Version", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.version")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class AppBinding extends CustomResource<AppBindingSpec, Void> implements Namespaced {
}
