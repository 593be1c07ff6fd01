package dev.stowage.engine.api.appcatalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.engine.api.ModelObject;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;

/** Spec of an {@link AppBinding}, as KubeDB writes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AppBindingSpec extends ModelObject {
    @JsonPropertyDescription("e.g. kubedb.com/postgres")
    private String type;

    private String version;

    @Required
    private ClientConfig clientConfig;

    private SecretReference secret;

    @PreserveUnknownFields
    private JsonNode parameters;

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public ClientConfig getClientConfig() {
        return clientConfig;
    }

    public void setClientConfig(ClientConfig clientConfig) {
        this.clientConfig = clientConfig;
    }

    public SecretReference getSecret() {
        return secret;
    }

    public void setSecret(SecretReference secret) {
        this.secret = secret;
    }

    public JsonNode getParameters() {
        return parameters;
    }

    public void setParameters(JsonNode parameters) {
        this.parameters = parameters;
    }
}
