package dev.stowage.engine.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Poly1305-AES (Bernstein 2005) as restic uses it: the one-time key of each message is r and
 * s = AES-128(k, nonce), s from the JDK's AES and the MAC from BouncyCastle's Poly1305 (which, given
 * an AES engine of its own, would expand k into AES round keys again for every message).
 * Thread-safe; each message gets its own {@link Mac}.
 */
final class Poly1305Aes {
    static final int TAG_SIZE = 16;

    // r &= 0x0ffffffc0ffffffc0ffffffc0fffffff, little-endian
    private static final byte[] CLAMP = {
        (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, (byte) 0xfc, (byte) 0xff, (byte) 0xff, 0x0f,
        (byte) 0xfc, (byte) 0xff, (byte) 0xff, 0x0f, (byte) 0xfc, (byte) 0xff, (byte) 0xff, 0x0f
    };

    private final byte[] clampedR;
    /** AES-128 under k, one block at a time; guarded by itself (a 16-byte encryption is short). */
    private final Cipher aes;

    /** @param r16 may be unclamped; it is clamped at use */
    Poly1305Aes(byte[] k16, byte[] r16) {
        clampedR = clamp(r16);
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k16, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES-128", e);
        }
    }

    static byte[] clamp(byte[] r16) {
        byte[] clamped = new byte[16];
        for (int i = 0; i < 16; i++) {
            clamped[i] = (byte) (r16[i] & CLAMP[i]);
        }
        return clamped;
    }

    /** A MAC over one message under nonce[nonceOff, nonceOff+16), ready for update/doFinal. */
    Mac start(byte[] nonce, int nonceOff) {
        // BouncyCastle's Poly1305 without a cipher takes the one-time key itself: r, then s
        byte[] oneTimeKey = new byte[32];
        System.arraycopy(clampedR, 0, oneTimeKey, 0, 16);
        try {
            synchronized (aes) {
                aes.doFinal(nonce, nonceOff, 16, oneTimeKey, 16);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-128 of a 16-byte nonce failed", e);
        }
        Mac mac = new Poly1305();
        mac.init(new KeyParameter(oneTimeKey));
        return mac;
    }

    /** Writes the 16-byte tag of msg[off, off+len) under nonce to out[outOff..]. */
    void tag(byte[] nonce, int nonceOff, byte[] msg, int off, int len, byte[] out, int outOff) {
        Mac mac = start(nonce, nonceOff);
        mac.update(msg, off, len);
        mac.doFinal(out, outOff);
    }

    /** Convenience form for tests and one-off use. */
    static byte[] tag(byte[] msg, byte[] nonce, byte[] k16, byte[] r16) {
        byte[] out = new byte[TAG_SIZE];
        new Poly1305Aes(k16, r16).tag(nonce, 0, msg, 0, msg.length, out, 0);
        return out;
    }
}
