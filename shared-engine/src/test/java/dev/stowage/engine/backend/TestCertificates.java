package dev.stowage.engine.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private CA made for one test, and a server certificate it signed, valid for a day: what an
 * S3-compatible server with its own CA (MinIO, Ceph) presents. Both Java and Go (restic) accept the
 * chain once the CA is trusted: EC P-256 keys, the CA with basic constraints and key usage, the
 * server certificate with subject alternative names and the server-auth extended key usage.
 */
public final class TestCertificates {
    private static final char[] PASSWORD = "test-keystore".toCharArray();

    private final X509Certificate ca;
    private final X509Certificate server;
    private final KeyPair serverKeys;

    private TestCertificates(X509Certificate ca, X509Certificate server, KeyPair serverKeys) {
        this.ca = ca;
        this.server = server;
        this.serverKeys = serverKeys;
    }

    /** A CA and a server certificate for 127.0.0.1 and localhost. */
    public static TestCertificates forLocalhost() {
        return create("127.0.0.1", "localhost");
    }

    /**
     * A CA and a server certificate for {@code names}: IP addresses and DNS names, as subject
     * alternative names (what clients check; the common name is the first).
     */
    public static TestCertificates create(String... names) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair caKeys = gen.generateKeyPair();
            KeyPair serverKeys = gen.generateKeyPair();
            Instant now = Instant.now();
            Date from = Date.from(now.minus(Duration.ofHours(1)));
            Date to = Date.from(now.plus(Duration.ofDays(1)));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

            X500Name caName = new X500Name("CN=Stowage Test CA");
            X509v3CertificateBuilder caCert = new JcaX509v3CertificateBuilder(caName, serial(), from, to, caName,
                    caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate ca = sign(caCert, caKeys);

            List<GeneralName> alt = new ArrayList<>();
            for (String n : names) {
                alt.add(new GeneralName(n.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, n));
            }
            X509v3CertificateBuilder serverCert = new JcaX509v3CertificateBuilder(ca, serial(), from, to,
                    new X500Name("CN=" + names[0]), serverKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(GeneralName[]::new)))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            return new TestCertificates(ca, sign(serverCert, caKeys), serverKeys);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make test certificates", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }

    public X509Certificate ca() {
        return ca;
    }

    /** The CA's certificate in PEM, as CA_CERT_DATA or a --cacert file holds it. */
    public String caPem() {
        return pem(ca);
    }

    /** Writes {@link #caPem()} to {@code file} and returns it. */
    public Path writeCaPem(Path file) {
        try {
            Files.writeString(file, caPem(), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pem(X509Certificate cert) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server-side TLS context presenting the server certificate and the CA above it. */
    public SSLContext serverContext() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", serverKeys.getPrivate(), PASSWORD, new Certificate[] {server, ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up the test server's TLS", e);
        }
    }
}
