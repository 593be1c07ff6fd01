package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where a repository lives; exactly one of local, s3 and gcs is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Backend extends ModelObject {
    @JsonPropertyDescription("Secret with RESTIC_PASSWORD and the credentials of the store")
    private String storageSecretName;

    private LocalSpec local;

    private S3Spec s3;

    private GcsSpec gcs;

    public String getStorageSecretName() {
        return storageSecretName;
    }

    public void setStorageSecretName(String storageSecretName) {
        this.storageSecretName = storageSecretName;
    }

    public LocalSpec getLocal() {
        return local;
    }

    public void setLocal(LocalSpec local) {
        this.local = local;
    }

    public S3Spec getS3() {
        return s3;
    }

    public void setS3(S3Spec s3) {
        this.s3 = s3;
    }

    public GcsSpec getGcs() {
        return gcs;
    }

    public void setGcs(GcsSpec gcs) {
        this.gcs = gcs;
    }
}
