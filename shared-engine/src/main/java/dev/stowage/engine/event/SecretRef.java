package dev.stowage.engine.event;

/**
 * Where a secret value lives; exactly one of the three is set. Secrets never travel in event
 * data, only references to them.
 *
 * @param secret a key of a Kubernetes Secret
 * @param file   a file whose content (without a trailing newline) is the value
 * @param env    an environment variable of the function's process
 */
public record SecretRef(SecretKeyRef secret, String file, String env) {
    public SecretRef {
        int set = (secret != null ? 1 : 0) + (file != null ? 1 : 0) + (env != null ? 1 : 0);
        if (set != 1) {
            throw new InvalidEventException("a secret reference needs exactly one of \"secret\", \"file\" or \"env\"");
        }
    }

    public static SecretRef ofEnv(String variable) {
        return new SecretRef(null, null, variable);
    }

    public static SecretRef ofFile(String path) {
        return new SecretRef(null, path, null);
    }

    @Override
    public String toString() {
        return secret != null ? "secret " + (secret.namespace() != null ? secret.namespace() + "/" : "")
                + secret.name() + " key " + secret.key() : file != null ? "file " + file : "environment variable " + env;
    }
}
