package dev.stowage.engine.backend;

import dev.stowage.engine.StowageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which TLS servers a backend trusts: the JVM's default trust store, plus the certificates of
 * {@code --cacert} files and {@code CA_CERT_DATA}; or, insecurely, any server at all.
 *
 * <p>Extra certificates are trusted <em>in addition to</em> the JVM's default roots. restic's
 * {@code --cacert} replaces the system roots instead, so Stowage accepts every server restic accepts
 * with the same bundle, and also servers with publicly trusted certificates.
 *
 * <p>Insecure mode ({@code --insecure-tls}, {@code STOWAGE_INSECURE_TLS=true}) skips both the
 * certificate check and the host name check: traffic is still encrypted, but anyone who can
 * intercept the connection can pose as the server and see the requests, credentials included
 * (S3 requests are signed, but session tokens travel in them). For tests and closed networks only.
 */
public final class TlsTrust {
    /** PEM text of CA certificates to trust, as Stash puts it in a repository's storage secret. */
    public static final String CA_CERT_DATA = "CA_CERT_DATA";
    /**
     * {@code true} turns certificate and host name verification off; how a Repository's
     * {@code spec.backend.s3.insecureTLS} reaches the backend.
     */
    public static final String INSECURE_TLS = "STOWAGE_INSECURE_TLS";
    /** What to do about a certificate that was not accepted; appended to such errors. */
    static final String HINT = "trust its CA with --cacert FILE or " + CA_CERT_DATA
            + ", or skip verification with --insecure-tls or " + INSECURE_TLS + "=true";
    /** What to do about a certificate for another host name. */
    static final String NAME_HINT = "connect with a host name the certificate names,"
            + " or skip verification with --insecure-tls or " + INSECURE_TLS + "=true";

    private static final TlsTrust DEFAULT = new TlsTrust(List.of(), false);
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    private final List<X509Certificate> certificates;
    private final boolean insecure;
    private volatile X509TrustManager trustManager;

    private TlsTrust(List<X509Certificate> certificates, boolean insecure) {
        this.certificates = List.copyOf(certificates);
        this.insecure = insecure;
    }

    /** The JVM's default trust store and nothing else. */
    public static TlsTrust defaults() {
        return DEFAULT;
    }

    /** What {@code env} asks for: {@link #CA_CERT_DATA} and {@link #INSECURE_TLS}. */
    public static TlsTrust fromEnv(Map<String, String> env) {
        return of(env, List.of(), false);
    }

    /**
     * What {@code env} asks for, plus the PEM files {@code caFiles} ({@code --cacert}) and
     * {@code insecure} ({@code --insecure-tls}). Fails naming the file or variable that holds no
     * certificate or a broken one.
     */
    public static TlsTrust of(Map<String, String> env, List<Path> caFiles, boolean insecure) {
        List<X509Certificate> certs = new ArrayList<>();
        for (Path file : caFiles) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.ISO_8859_1); // PEM is ASCII; never fails to decode
            } catch (IOException e) {
                throw new StowageException("cannot read CA certificate file " + file + ": " + e.getMessage(), e);
            }
            certs.addAll(parsePem(text, "CA certificate file " + file));
        }
        String data = env.get(CA_CERT_DATA);
        if (data != null && !data.isBlank()) {
            certs.addAll(parsePem(data, CA_CERT_DATA));
        }
        boolean off = insecure || parseFlag(env.get(INSECURE_TLS));
        return certs.isEmpty() && !off ? DEFAULT : new TlsTrust(certs, off);
    }

    private static boolean parseFlag(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new StowageException("invalid value \"" + value + "\" for " + INSECURE_TLS + ": expected true or false");
        };
    }

    /**
     * The certificates of the PEM {@code CERTIFICATE} blocks in {@code text}; other blocks (a key,
     * say) are skipped, as restic skips them. At least one certificate is needed.
     */
    static List<X509Certificate> parsePem(String text, String source) {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals("CERTIFICATE")) {
                continue;
            }
            try {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2).strip());
                certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (IllegalArgumentException | CertificateException e) {
                throw new StowageException(source + ": certificate " + (certs.size() + 1) + " is not valid: " + e.getMessage(), e);
            }
        }
        if (certs.isEmpty()) {
            throw new StowageException(source + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certs;
    }

    /** Whether certificate and host name verification are off. */
    public boolean insecure() {
        return insecure;
    }

    /** The certificates trusted in addition to the JVM's default roots. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** Whether this is the JVM's default trust, so clients can keep their own default setup. */
    public boolean isDefault() {
        return !insecure && certificates.isEmpty();
    }

    /**
     * A trust manager for the JVM's default roots and {@link #certificates()}, with the JDK's PKIX
     * checks (validity, chains, and the host name when the connection asks for it).
     */
    public X509TrustManager trustManager() {
        X509TrustManager tm = trustManager;
        if (tm == null) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (X509Certificate c : defaultTrustManager().getAcceptedIssuers()) {
                    store.setCertificateEntry("default-" + i++, c);
                }
                i = 0;
                for (X509Certificate c : certificates) {
                    store.setCertificateEntry("extra-" + i++, c);
                }
                tm = x509(store);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot set up the TLS trust store: " + e.getMessage(), e);
            }
            trustManager = tm;
        }
        return tm;
    }

    /** An SSL context that trusts what {@link #trustManager()} trusts. */
    public SSLContext sslContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trustManager()}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        return x509(null);
    }

    private static X509TrustManager x509(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /**
     * If {@code failure} or one of its causes is a server certificate that was not accepted
     * (untrusted, expired, or not for this host name), its description; else {@code null}. Such a
     * failure is not transient: it is not worth retrying.
     */
    public static String certificateProblem(Throwable failure) {
        String problem = null;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof SSLPeerUnverifiedException || t instanceof CertificateException
                    || t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                problem = t.getMessage(); // the innermost says it most plainly
            }
        }
        return problem;
    }

    /** {@code detail}, or a plainer account of it if {@code failure} is a certificate not accepted. */
    static String describe(Throwable failure, String detail) {
        String problem = certificateProblem(failure);
        if (problem == null) {
            return detail;
        }
        // Apache HttpClient's check and the JDK's, as they word a certificate for another host
        boolean otherName = problem.contains("subject alternative name") || problem.startsWith("No name matching")
                || problem.startsWith("No subject alternative");
        return "the server's TLS certificate was not accepted: " + problem + " (" + (otherName ? NAME_HINT : HINT) + ")";
    }

    @Override
    public String toString() {
        return insecure ? "TLS verification off" : certificates.isEmpty() ? "default TLS trust"
                : "default TLS trust + " + certificates.size() + " certificate(s)";
    }
}
