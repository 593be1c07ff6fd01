package dev.stowage.engine.crypto;

import dev.stowage.engine.StowageException;

/**
 * Encrypted data failed authentication: it was damaged, truncated, or sealed with a different
 * key. Nothing of it was decrypted.
 */
public final class CiphertextVerificationException extends StowageException {
    /**
     * @param detail what exactly was wrong, appended to "ciphertext verification failed"
     */
    public CiphertextVerificationException(String detail) {
        super("ciphertext verification failed: " + detail);
    }
}
