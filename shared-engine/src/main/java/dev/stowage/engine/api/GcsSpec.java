package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A repository in a Google Cloud Storage bucket. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GcsSpec extends ModelObject {
    @Required
    private String bucket;

    private String prefix;

    @Min(1)
    private Long maxConnections;

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

    public Long getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(Long maxConnections) {
        this.maxConnections = maxConnections;
    }
}
