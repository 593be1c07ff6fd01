package dev.stowage.engine.backend;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * s3proxy, a real S3 HTTP server, on a free local port with an in-memory blob store and signed
 * requests; over plain HTTP, or over HTTPS only ({@link #https}). Its blob store counts the calls
 * in flight and can be slowed down, so tests can see how many requests a client runs at once.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "stowage-access";
    public static final String SECRET_KEY = "stowage-secret-key";

    /** The store itself, for tests to look at and change directly (not counted, not slowed). */
    public final BlobStore blobStore;
    /** Blob store calls s3proxy has in progress, and the most there were at once. */
    public final AtomicInteger inFlight = new AtomicInteger();
    public final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile long delayMillis;
    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final boolean secure;

    /** Plain HTTP. */
    public S3ProxyServer() throws Exception {
        this(null);
    }

    /** HTTPS only, presenting the certificate of {@code serverContext} (see {@link TestCertificates#serverContext()}). */
    public static S3ProxyServer https(SSLContext serverContext) throws Exception {
        return new S3ProxyServer(serverContext);
    }

    private S3ProxyServer(SSLContext serverContext) throws Exception {
        Properties props = new Properties();
        context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .overrides(props).build(BlobStoreContext.class);
        blobStore = context.getBlobStore();
        secure = serverContext != null;
        S3Proxy.Builder b = S3Proxy.builder().blobStore(counting(blobStore))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY);
        if (secure) {
            b.secureEndpoint(URI.create("https://127.0.0.1:0")).sslContext(serverContext);
        } else {
            b.endpoint(URI.create("http://127.0.0.1:0"));
        }
        proxy = b.build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!proxy.getState().equals("STARTED")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    /** {@code store}, counting the calls in flight and sleeping {@link #delay} before each. */
    private BlobStore counting(BlobStore store) {
        return (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class},
                (self, method, args) -> {
                    boolean counted = method.getDeclaringClass() != Object.class && !method.getName().equals("getContext");
                    if (counted) {
                        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    }
                    try {
                        long delay = delayMillis;
                        if (counted && delay > 0) {
                            Thread.sleep(delay);
                        }
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (counted) {
                            inFlight.decrementAndGet();
                        }
                    }
                });
    }

    /** Slows every blob store call down by {@code millis}, so concurrent requests overlap; 0 for full speed. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    /** Starts counting {@link #maxInFlight} afresh. */
    public void resetCounts() {
        maxInFlight.set(inFlight.get());
    }

    public URI endpoint() {
        return secure ? URI.create("https://127.0.0.1:" + proxy.getSecurePort())
                : URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public void createBucket(String bucket) {
        blobStore.createContainerInLocation(null, bucket);
    }

    public S3Backend backend(String bucket, String prefix, java.nio.file.Path tempDir) {
        return backend(endpoint(), bucket, prefix, tempDir);
    }

    /** A backend that reaches this server through {@code via} (a proxy in front of it). */
    public S3Backend backend(URI via, String bucket, String prefix, java.nio.file.Path tempDir) {
        return new S3Backend(new S3Backend.Settings(via, true, "us-east-1", bucket, prefix,
                ACCESS_KEY, SECRET_KEY, null), tempDir);
    }

    /** A backend with {@code connections} and {@code tls}. */
    public S3Backend backend(String bucket, String prefix, java.nio.file.Path tempDir, int connections, TlsTrust tls) {
        return new S3Backend(new S3Backend.Settings(endpoint(), true, "us-east-1", bucket, prefix,
                ACCESS_KEY, SECRET_KEY, null, connections, tls), tempDir);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
