package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.NFSVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;

/** A repository on a volume mounted into the function. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalSpec extends ModelObject {
    @Required
    private String mountPath;

    @JsonPropertyDescription("Directory of the repository below mountPath")
    private String subPath;

    private PersistentVolumeClaimVolumeSource persistentVolumeClaim;

    private HostPathVolumeSource hostPath;

    private NFSVolumeSource nfs;

    public String getMountPath() {
        return mountPath;
    }

    public void setMountPath(String mountPath) {
        this.mountPath = mountPath;
    }

    public String getSubPath() {
        return subPath;
    }

    public void setSubPath(String subPath) {
        this.subPath = subPath;
    }

    public PersistentVolumeClaimVolumeSource getPersistentVolumeClaim() {
        return persistentVolumeClaim;
    }

    public void setPersistentVolumeClaim(PersistentVolumeClaimVolumeSource persistentVolumeClaim) {
        this.persistentVolumeClaim = persistentVolumeClaim;
    }

    public HostPathVolumeSource getHostPath() {
        return hostPath;
    }

    public void setHostPath(HostPathVolumeSource hostPath) {
        this.hostPath = hostPath;
    }

    public NFSVolumeSource getNfs() {
        return nfs;
    }

    public void setNfs(NFSVolumeSource nfs) {
        this.nfs = nfs;
    }
}
