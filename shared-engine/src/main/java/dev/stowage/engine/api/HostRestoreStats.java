package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The restore of one host in a restore session. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostRestoreStats extends ModelObject {
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
