package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The restore of one host in a restore session. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostRestoreStats extends HostSessionStats {
}
