package dev.stowage.engine.crypto;

import dev.stowage.engine.StowageException;

/** The password does not unlock the key file (its derived key fails the MAC check). */
public final class WrongPasswordException extends StowageException {
    public WrongPasswordException() {
        super("wrong password: the password does not unlock this repository key");
    }
}
