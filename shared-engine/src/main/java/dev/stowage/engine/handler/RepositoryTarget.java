package dev.stowage.engine.handler;

import java.util.Map;

/**
 * A resolved repository: its URL, password and backend environment (credentials), ready to open.
 * {@link #toString()} never shows the secrets.
 */
public record RepositoryTarget(String url, String password, Map<String, String> env) {
    public RepositoryTarget {
        env = Map.copyOf(env);
    }

    @Override
    public String toString() {
        return url;
    }
}
