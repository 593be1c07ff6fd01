package dev.stowage.engine.crypto;

import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/** Poly1305-AES (Bernstein 2005) as restic uses it: s = AES-128(k, nonce), r clamped. */
final class Poly1305Aes {
    static final int TAG_SIZE = 16;

    // r &= 0x0ffffffc0ffffffc0ffffffc0fffffff, little-endian
    private static final byte[] CLAMP = {
        (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, (byte) 0xfc, (byte) 0xff, (byte) 0xff, 0x0f,
        (byte) 0xfc, (byte) 0xff, (byte) 0xff, 0x0f, (byte) 0xfc, (byte) 0xff, (byte) 0xff, 0x0f
    };

    private Poly1305Aes() {
    }

    static byte[] clamp(byte[] r16) {
        byte[] r = new byte[16];
        for (int i = 0; i < 16; i++) {
            r[i] = (byte) (r16[i] & CLAMP[i]);
        }
        return r;
    }

    /** BouncyCastle expects its 32-byte Poly1305-AES key as r || k (restic stores k, r). */
    static byte[] bcKey(byte[] k16, byte[] r16) {
        byte[] key = new byte[32];
        System.arraycopy(clamp(r16), 0, key, 0, 16);
        System.arraycopy(k16, 0, key, 16, 16);
        return key;
    }

    /** A MAC ready for update/doFinal under (bcKey, nonce[nonceOff, nonceOff+16)). */
    static Mac start(byte[] bcKey, byte[] nonce, int nonceOff) {
        Mac mac = new Poly1305(AESEngine.newInstance());
        mac.init(new ParametersWithIV(new KeyParameter(bcKey), nonce, nonceOff, 16));
        return mac;
    }

    /** Writes the 16-byte tag of msg[off, off+len) under (bcKey, nonce) to out[outOff..]. */
    static void tag(byte[] bcKey, byte[] nonce, int nonceOff, byte[] msg, int off, int len,
                    byte[] out, int outOff) {
        Mac mac = start(bcKey, nonce, nonceOff);
        mac.update(msg, off, len);
        mac.doFinal(out, outOff);
    }

    /** Convenience form for tests and one-off use. */
    static byte[] tag(byte[] msg, byte[] nonce, byte[] k16, byte[] r16) {
        byte[] out = new byte[TAG_SIZE];
        tag(bcKey(k16, r16), nonce, 0, msg, 0, msg.length, out, 0);
        return out;
    }
}
