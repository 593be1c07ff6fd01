package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A repository in an S3 bucket (or an S3-compatible store). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3Spec extends ModelObject {
    private String endpoint;

    @Required
    private String bucket;

    private String prefix;

    private String region;

    private Boolean insecureTLS;

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public String getBucket() {
        return bucket;
    }

    public void setBucket(String bucket) {
        this.bucket = bucket;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public Boolean getInsecureTLS() {
        return insecureTLS;
    }

    public void setInsecureTLS(Boolean insecureTLS) {
        this.insecureTLS = insecureTLS;
    }
}
