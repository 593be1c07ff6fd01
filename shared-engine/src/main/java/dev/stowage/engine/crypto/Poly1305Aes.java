package dev.stowage.engine.crypto;

import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Poly1305-AES (Bernstein 2005) as restic uses it, with BouncyCastle's Poly1305: the one-time key
 * of each message is r and s = AES-128(k, nonce). Immutable and thread-safe; each message gets
 * its own {@link Mac}.
 */
final class Poly1305Aes {
    static final int TAG_SIZE = 16;

    // r &= 0x0ffffffc0ffffffc0ffffffc0fffffff, little-endian
    private static final byte[] CLAMP = {
        (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, (byte) 0xfc, (byte) 0xff, (byte) 0xff, 0x0f,
        (byte) 0xfc, (byte) 0xff, (byte) 0xff, 0x0f, (byte) 0xfc, (byte) 0xff, (byte) 0xff, 0x0f
    };

    /** BouncyCastle's 32-byte Poly1305-AES key: clamped r, then k (restic stores k, r). */
    private final byte[] bcKey = new byte[32];

    /** @param r16 may be unclamped; it is clamped at use */
    Poly1305Aes(byte[] k16, byte[] r16) {
        System.arraycopy(clamp(r16), 0, bcKey, 0, 16);
        System.arraycopy(k16, 0, bcKey, 16, 16);
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
        Mac mac = new Poly1305(AESEngine.newInstance());
        mac.init(new ParametersWithIV(new KeyParameter(bcKey), nonce, nonceOff, 16));
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
