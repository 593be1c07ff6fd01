package dev.stowage.engine.event;

import java.util.Map;

/**
 * An inline repository: its restic URL, where its password is, and where the backend's credentials
 * are (e.g. {@code AWS_ACCESS_KEY_ID} mapped to a secret reference).
 */
public record RepositoryAddress(String url, SecretRef password, Map<String, SecretRef> env) {
    public RepositoryAddress {
        EventData.require(url, "repository.url");
        if (password == null) {
            throw new InvalidEventException("field \"repository.password\" is missing: give a secret, file or env reference");
        }
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
