package dev.stowage.engine.backend;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/** s3proxy, a real S3 HTTP server, on a free local port with an in-memory blob store and signed requests. */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "stowage-access";
    public static final String SECRET_KEY = "stowage-secret-key";

    public final BlobStore blobStore;
    private final BlobStoreContext context;
    private final S3Proxy proxy;

    public S3ProxyServer() throws Exception {
        Properties props = new Properties();
        context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .overrides(props).build(BlobStoreContext.class);
        blobStore = context.getBlobStore();
        proxy = S3Proxy.builder().blobStore(blobStore).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!proxy.getState().equals("STARTED")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
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

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
