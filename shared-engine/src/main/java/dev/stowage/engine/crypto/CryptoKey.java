package dev.stowage.engine.crypto;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stowage.engine.StowageException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.Mac;

/**
 * AES-256-CTR + Poly1305-AES key as restic uses it: a 32-byte encryption key and a 16-byte
 * {@code k} / 16-byte {@code r} MAC key. Sealed data is {@code IV(16) || ciphertext || MAC(16)}.
 *
 * <p>Immutable and safe to use from several threads at once; all byte arrays are copied on the
 * way in and out.
 */
public final class CryptoKey {
    /** Bytes added by {@link #seal}: IV (16) plus MAC (16). */
    public static final int OVERHEAD = 32;

    /** Bytes of IV in front of the ciphertext. */
    public static final int IV_SIZE = 16;
    private static final int MAC_SIZE = Poly1305Aes.TAG_SIZE;
    private static final int ENCRYPT_SIZE = 32;
    private static final int MAC_PART_SIZE = 16;
    /**
     * CTR is applied in slices: the JIT only switches to the AES-CTR intrinsic after thousands of
     * calls, which whole-blob calls would take gigabytes to reach.
     */
    private static final int SLICE = 16 * 1024;

    private final byte[] encrypt;
    private final byte[] macK;
    private final byte[] macR;
    private final SecretKeySpec aesKey;
    private final Poly1305Aes mac;
    private final SecureRandom random;
    private final ConcurrentLinkedDeque<Ctr> ciphers = new ConcurrentLinkedDeque<>();

    private CryptoKey(byte[] encrypt, byte[] macK, byte[] macR) {
        this.encrypt = encrypt.clone();
        this.macK = macK.clone();
        this.macR = macR.clone();
        this.aesKey = new SecretKeySpec(this.encrypt, "AES");
        this.mac = new Poly1305Aes(this.macK, this.macR);
        this.random = new SecureRandom();
    }

    /** A fresh random key; {@code r} is stored clamped, which every restic version accepts. */
    public static CryptoKey random() {
        SecureRandom rnd = new SecureRandom();
        byte[] e = new byte[ENCRYPT_SIZE];
        byte[] k = new byte[MAC_PART_SIZE];
        byte[] r = new byte[MAC_PART_SIZE];
        do {
            rnd.nextBytes(e);
            rnd.nextBytes(k);
            rnd.nextBytes(r);
            r = Poly1305Aes.clamp(r);
        } while (isZero(e, 0, e.length) || isZero(k, 0, k.length) || isZero(r, 0, r.length));
        return new CryptoKey(e, k, r);
    }

    /**
     * A key from its three parts. {@code macR16} may be unclamped; it is clamped whenever used.
     *
     * @throws StowageException if a part has the wrong length or is all zero
     */
    public static CryptoKey of(byte[] encrypt32, byte[] macK16, byte[] macR16) {
        requirePart("encryption key", encrypt32, ENCRYPT_SIZE);
        requirePart("MAC key k", macK16, MAC_PART_SIZE);
        requirePart("MAC key r", macR16, MAC_PART_SIZE);
        return new CryptoKey(encrypt32, macK16, macR16);
    }

    /** The user key from 64 bytes of scrypt output: [0,32) encrypt, [32,48) k, [48,64) r. */
    public static CryptoKey fromScrypt(byte[] derived64) {
        Objects.requireNonNull(derived64, "derived64");
        if (derived64.length != 64) {
            throw new StowageException("scrypt output must be 64 bytes, got " + derived64.length);
        }
        return of(Arrays.copyOfRange(derived64, 0, 32),
                Arrays.copyOfRange(derived64, 32, 48),
                Arrays.copyOfRange(derived64, 48, 64));
    }

    /** Encrypts {@code plaintext} under a fresh random IV; returns {@code IV || CT || MAC}. */
    public byte[] seal(byte[] plaintext) {
        return seal(plaintext, 0, plaintext.length);
    }

    /** Encrypts {@code plaintext[off, off+len)} under a fresh random IV; returns {@code IV || CT || MAC}. */
    public byte[] seal(byte[] plaintext, int off, int len) {
        Objects.checkFromIndexSize(off, len, plaintext.length);
        if (len > Integer.MAX_VALUE - 8 - OVERHEAD) {
            throw new StowageException("cannot encrypt " + len + " bytes in one piece: too large");
        }
        byte[] out = new byte[len + OVERHEAD];
        sealInto(plaintext, off, len, out, 0);
        return out;
    }

    /**
     * Encrypts {@code buf[off+16, off+16+len)} in place under a fresh random IV: afterwards
     * {@code buf[off, off+len+OVERHEAD)} is {@code IV || CT || MAC}. Saves a copy of every blob.
     *
     * @return {@code len + OVERHEAD}
     */
    public int sealInPlace(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len + OVERHEAD, buf.length);
        sealInto(buf, off + IV_SIZE, len, buf, off);
        return len + OVERHEAD;
    }

    private void sealInto(byte[] plaintext, int off, int len, byte[] out, int outOff) {
        byte[] iv = new byte[IV_SIZE];
        // restic refuses an all-zero IV; the odds are 2^-128, but ruling it out is cheap
        do {
            random.nextBytes(iv);
        } while (isZero(iv, 0, IV_SIZE));
        System.arraycopy(iv, 0, out, outOff, IV_SIZE);
        Ctr cipher = ctr(Cipher.ENCRYPT_MODE, iv, 0);
        Mac tag = mac.start(iv, 0);
        int ctOff = outOff + IV_SIZE;
        // MAC each slice right after encrypting it, while it is still in cache
        for (int done = 0; done < len; ) {
            int n = Math.min(SLICE, len - done);
            crypt(cipher, plaintext, off + done, n, out, ctOff + done);
            tag.update(out, ctOff + done, n);
            done += n;
        }
        tag.doFinal(out, ctOff + len);
        release(cipher);
    }

    /** Verifies and decrypts {@code IV || CT || MAC}; see {@link #open(byte[], int, int)}. */
    public byte[] open(byte[] sealed) {
        return open(sealed, 0, sealed.length);
    }

    /**
     * Verifies the MAC of {@code sealed[off, off+len)} and only then decrypts it.
     *
     * @return the plaintext ({@code len - 32} bytes)
     * @throws CiphertextVerificationException if the data is too short, has an all-zero IV or its
     *     MAC does not match (damaged data or a different key)
     */
    public byte[] open(byte[] sealed, int off, int len) {
        int ctLen = verify(sealed, off, len);
        byte[] plain = new byte[ctLen];
        decrypt(sealed, off, ctLen, plain, 0);
        return plain;
    }

    /**
     * Like {@link #open(byte[], int, int)}, but decrypts in place: on success the plaintext is
     * {@code sealed[off+16, off+16+result)}. On failure the buffer is unchanged.
     *
     * @return the plaintext length ({@code len - 32})
     */
    public int openInPlace(byte[] sealed, int off, int len) {
        int ctLen = verify(sealed, off, len);
        decrypt(sealed, off, ctLen, sealed, off + IV_SIZE);
        return ctLen;
    }

    /** Checks the length, IV and MAC of {@code IV || CT || MAC}; returns the ciphertext length. */
    private int verify(byte[] sealed, int off, int len) {
        Objects.checkFromIndexSize(off, len, sealed.length);
        if (len < OVERHEAD) {
            throw new CiphertextVerificationException("encrypted data is " + len
                    + " bytes long, shorter than the " + OVERHEAD + " bytes of IV and MAC alone");
        }
        if (isZero(sealed, off, IV_SIZE)) {
            throw new CiphertextVerificationException("the IV is all zero, which is never valid");
        }
        int ctLen = len - OVERHEAD;
        int ctOff = off + IV_SIZE;
        byte[] expected = new byte[MAC_SIZE];
        mac.tag(sealed, off, sealed, ctOff, ctLen, expected, 0);
        byte[] actual = Arrays.copyOfRange(sealed, ctOff + ctLen, ctOff + ctLen + MAC_SIZE);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new CiphertextVerificationException(
                    "the MAC does not match (the data is damaged or was encrypted with another key)");
        }
        return ctLen;
    }

    private void decrypt(byte[] sealed, int off, int ctLen, byte[] out, int outOff) {
        Ctr cipher = ctr(Cipher.DECRYPT_MODE, sealed, off);
        for (int done = 0; done < ctLen; ) {
            int n = Math.min(SLICE, ctLen - done);
            crypt(cipher, sealed, off + IV_SIZE + done, n, out, outOff + done);
            done += n;
        }
        release(cipher);
    }

    /** The master-key JSON restic stores encrypted in key files: {@code {"mac":{"k":..,"r":..},"encrypt":..}}. */
    public byte[] toJson() {
        Base64.Encoder b64 = Base64.getEncoder();
        String json = "{\"mac\":{\"k\":\"" + b64.encodeToString(macK)
                + "\",\"r\":\"" + b64.encodeToString(macR)
                + "\"},\"encrypt\":\"" + b64.encodeToString(encrypt) + "\"}";
        return json.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses the master-key JSON written by {@link #toJson()} or restic. Field order does not
     * matter and unknown fields are ignored, as in Go.
     *
     * @throws StowageException if the JSON is malformed or a part is missing, not base64, of the
     *     wrong length or all zero
     */
    public static CryptoKey fromJson(byte[] json) {
        Objects.requireNonNull(json, "json");
        byte[] e = null;
        byte[] k = null;
        byte[] r = null;
        try (JsonParser p = new JsonFactory().createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "expected a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "encrypt" -> e = base64(p, value, "encrypt");
                    case "mac" -> {
                        expect(value == JsonToken.START_OBJECT, "\"mac\" must be an object");
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String macName = p.currentName();
                            JsonToken macValue = p.nextToken();
                            switch (macName) {
                                case "k" -> k = base64(p, macValue, "mac.k");
                                case "r" -> r = base64(p, macValue, "mac.r");
                                default -> p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            expect(p.currentToken() == JsonToken.END_OBJECT, "unexpected content");
            expect(p.nextToken() == null, "unexpected content after the JSON object");
        } catch (IOException ex) {
            throw new StowageException("invalid master key JSON: " + JsonErrors.describe(ex), ex);
        }
        expect(e != null, "the \"encrypt\" field is missing");
        expect(k != null, "the \"mac.k\" field is missing");
        expect(r != null, "the \"mac.r\" field is missing");
        return of(e, k, r);
    }

    // Package-private views of the key parts, for tests.
    byte[] encryptKey() {
        return encrypt.clone();
    }

    byte[] macK() {
        return macK.clone();
    }

    byte[] macR() {
        return macR.clone();
    }

    /**
     * A cipher borrowed from the pool, initialised for this IV; give it back with {@link #release}.
     * Cipher objects are not thread-safe, and looking one up costs more than encrypting a small
     * blob; a reused one also keeps its AES key schedule, since the key never changes.
     */
    private Ctr ctr(int mode, byte[] iv, int ivOff) {
        try {
            Ctr ctr = ciphers.pollFirst();
            if (ctr == null) {
                ctr = new Ctr(Cipher.getInstance("AES/CTR/NoPadding"));
            }
            ctr.cipher.init(mode, aesKey, new IvParameterSpec(iv, ivOff, IV_SIZE));
            return ctr;
        } catch (GeneralSecurityException ex) {
            throw new StowageException("AES-256-CTR is not available in this Java runtime: " + ex.getMessage(), ex);
        }
    }

    private void release(Ctr ctr) {
        ciphers.addFirst(ctr);
    }

    /**
     * A pooled AES-CTR cipher and a slice-sized scratch buffer for in-place work: given
     * overlapping input and output, the JDK's cipher copies its input into a new array first
     * (a gigabyte of garbage per gigabyte sealed or opened in place); through the scratch buffer
     * the same copy allocates nothing.
     */
    private record Ctr(Cipher cipher, byte[] scratch) {
        Ctr(Cipher cipher) {
            this(cipher, new byte[SLICE]);
        }
    }

    /** Applies the cipher to at most {@link #SLICE} bytes. */
    private static void crypt(Ctr ctr, byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (in == out && outOff < inOff + len && inOff < outOff + len) {
            update(ctr.cipher, in, inOff, len, ctr.scratch, 0);
            System.arraycopy(ctr.scratch, 0, out, outOff, len);
        } else {
            update(ctr.cipher, in, inOff, len, out, outOff);
        }
    }

    private static void update(Cipher cipher, byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            if (cipher.update(in, inOff, len, out, outOff) != len) {
                throw new StowageException("AES-256-CTR produced an unexpected amount of output");
            }
        } catch (GeneralSecurityException ex) {
            throw new StowageException("AES-256-CTR failed: " + ex.getMessage(), ex);
        }
    }

    private static byte[] base64(JsonParser p, JsonToken token, String field) throws IOException {
        expect(token == JsonToken.VALUE_STRING, "\"" + field + "\" must be a base64 string");
        try {
            return Base64.getDecoder().decode(p.getText());
        } catch (IllegalArgumentException ex) {
            throw new StowageException("invalid master key JSON: \"" + field + "\" is not valid base64", ex);
        }
    }

    private static void expect(boolean condition, String problem) {
        if (!condition) {
            throw new StowageException("invalid master key JSON: " + problem);
        }
    }

    private static void requirePart(String what, byte[] part, int size) {
        Objects.requireNonNull(part, what);
        if (part.length != size) {
            throw new StowageException("invalid key: the " + what + " must be " + size
                    + " bytes, got " + part.length);
        }
        if (isZero(part, 0, size)) {
            throw new StowageException("invalid key: the " + what + " is all zero");
        }
    }

    static boolean isZero(byte[] b, int off, int len) {
        int acc = 0;
        for (int i = off; i < off + len; i++) {
            acc |= b[i];
        }
        return acc == 0;
    }
}
