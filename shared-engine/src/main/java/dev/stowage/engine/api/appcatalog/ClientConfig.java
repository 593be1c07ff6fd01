package dev.stowage.engine.api.appcatalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.stowage.engine.api.ModelObject;

/** How to reach the application: a service or a URL. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ClientConfig extends ModelObject {
    private String url;

    private ServiceReference service;

    private Boolean insecureSkipTLSVerify;

    @JsonPropertyDescription("Base64-encoded PEM CA bundle")
    private String caBundle;

    private String serverName;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public ServiceReference getService() {
        return service;
    }

    public void setService(ServiceReference service) {
        this.service = service;
    }

    public Boolean getInsecureSkipTLSVerify() {
        return insecureSkipTLSVerify;
    }

    public void setInsecureSkipTLSVerify(Boolean insecureSkipTLSVerify) {
        this.insecureSkipTLSVerify = insecureSkipTLSVerify;
    }

    public String getCaBundle() {
        return caBundle;
    }

    public void setCaBundle(String caBundle) {
        this.caBundle = caBundle;
    }

    public String getServerName() {
        return serverName;
    }

    public void setServerName(String serverName) {
        this.serverName = serverName;
    }
}
