package dev.stowage.engine.api.appcatalog;

import dev.stowage.engine.StowageException;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The user name and password in an AppBinding's Secret: KubeDB's PostgreSQL keys
 * {@code POSTGRES_USER}/{@code POSTGRES_PASSWORD}, or the generic {@code username}/{@code password}.
 */
public record AppBindingCredentials(String username, String password) {
    @Override
    public String toString() {
        return "AppBindingCredentials[username=" + username + ", password=***]";
    }

    /** The credentials in {@code secret}'s {@code stringData} or (base64) {@code data}. */
    public static AppBindingCredentials of(Secret secret) {
        String name = secret.getMetadata() == null ? "?" : secret.getMetadata().getName();
        String user = value(secret, "POSTGRES_USER", "username");
        String password = value(secret, "POSTGRES_PASSWORD", "password");
        if (user == null || password == null) {
            throw new StowageException("Secret " + name + " has no " + (user == null ? "POSTGRES_USER or username"
                    : "POSTGRES_PASSWORD or password") + " key");
        }
        return new AppBindingCredentials(user, password);
    }

    private static String value(Secret secret, String... keys) {
        for (String key : keys) {
            String v = get(secret.getStringData(), key);
            if (v != null) {
                return v;
            }
            v = get(secret.getData(), key);
            if (v != null) {
                try {
                    return new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new StowageException("Secret key " + key + " is not base64: " + e.getMessage());
                }
            }
        }
        return null;
    }

    private static String get(Map<String, String> map, String key) {
        return map == null ? null : map.get(key);
    }
}
