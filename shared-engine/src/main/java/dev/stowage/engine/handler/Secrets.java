package dev.stowage.engine.handler;

import dev.stowage.engine.event.SecretRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Resolves {@link SecretRef}s from Kubernetes Secrets, files and the process environment. */
public final class Secrets {
    private final SecretStore store;
    private final Map<String, String> environment;

    public Secrets(SecretStore store, Map<String, String> environment) {
        this.store = store;
        this.environment = Map.copyOf(environment);
    }

    /** The value {@code ref} points at; {@code namespace} is the default for Kubernetes Secrets. */
    public String resolve(SecretRef ref, String namespace) {
        if (ref.secret() != null) {
            return store.read(ref.secret(), namespace);
        }
        if (ref.env() != null) {
            String value = environment.get(ref.env());
            if (value == null) {
                throw new MissingSecretException("environment variable " + ref.env() + " is not set");
            }
            return value;
        }
        try {
            String value = Files.readString(Path.of(ref.file()), StandardCharsets.UTF_8);
            return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        } catch (NoSuchFileException e) {
            throw new MissingSecretException("secret file " + ref.file() + " does not exist");
        } catch (IOException e) {
            throw new MissingSecretException("secret file " + ref.file() + " cannot be read: " + e.getMessage());
        }
    }
}
