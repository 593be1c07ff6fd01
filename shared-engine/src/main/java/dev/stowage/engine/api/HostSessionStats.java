package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What a session records for each host, backup or restore alike (Stash v1beta1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class HostSessionStats extends ModelObject {
    private String hostname;

    private HostPhase phase;

    private String duration;

    private String error;

    public String getHostname() {
        return hostname;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    public HostPhase getPhase() {
        return phase;
    }

    public void setPhase(HostPhase phase) {
        this.phase = phase;
    }

    public String getDuration() {
        return duration;
    }

    public void setDuration(String duration) {
        this.duration = duration;
    }

    public String getError() {
        return error;
    }

    public void setError(String error) {
        this.error = error;
    }
}
