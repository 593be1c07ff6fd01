package dev.stowage.engine.backend;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * A repository in an S3 bucket (AWS or any S3-compatible server), in restic's layout under an
 * optional prefix: {@code <prefix>/config}, {@code <prefix>/keys/<id>},
 * {@code <prefix>/data/<id[0:2]>/<id>} and so on.
 *
 * <p>S3 objects become visible only when their upload is complete, so every save is a single PUT.
 * A {@link PendingFile} (a pack being filled) is buffered in a temporary local file, not in the heap,
 * and uploaded on commit. Transient failures (5xx, throttling, broken connections) are retried by
 * the SDK with exponential backoff; 4xx answers such as authentication errors and 404s are not.
 * Every request is idempotent, so a retry after a lost answer is harmless: a PUT replays its whole
 * body (from memory or the buffer file), a DELETE of a gone object succeeds, and a bucket created
 * by an attempt whose answer was lost counts as created. At most {@link Settings#connections()}
 * requests run at once. A server certificate that is not accepted fails at once, without retries.
 */
public final class S3Backend implements Backend {
    /** restic's default for {@code -o s3.connections}. */
    public static final int DEFAULT_CONNECTIONS = 5;
    /** Attempts per request, including the first. */
    static final int MAX_ATTEMPTS = 8;
    private static final Duration BASE_DELAY = Duration.ofMillis(200);
    private static final Duration MAX_DELAY = Duration.ofSeconds(20);

    /**
     * Where and as whom to connect.
     *
     * @param endpoint    the server, or {@code null} for AWS's regional endpoint
     * @param pathStyle   address the bucket in the path ({@code host/bucket/key}) rather than the host name
     * @param region      signing region, e.g. {@code us-east-1}
     * @param accessKeyId with {@code secretAccessKey}, static credentials; {@code null} for the SDK's default chain
     * @param connections requests run at once, and packs uploaded in parallel ({@link #connections()})
     * @param tls         which servers to trust
     */
    public record Settings(URI endpoint, boolean pathStyle, String region, String bucket, String prefix,
                           String accessKeyId, String secretAccessKey, String sessionToken,
                           int connections, TlsTrust tls) {
        public Settings {
            if (connections < 1) {
                throw new IllegalArgumentException("at least one connection is needed");
            }
            tls = tls == null ? TlsTrust.defaults() : tls;
        }

        /** With restic's default connection count and the JVM's default trust. */
        public Settings(URI endpoint, boolean pathStyle, String region, String bucket, String prefix,
                        String accessKeyId, String secretAccessKey, String sessionToken) {
            this(endpoint, pathStyle, region, bucket, prefix, accessKeyId, secretAccessKey, sessionToken,
                    DEFAULT_CONNECTIONS, TlsTrust.defaults());
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final BucketLayout layout;
    private final String location;
    private final Path tempDir;
    private final int connections;
    // bounds requests the way restic bounds its S3 connections; the SDK only bounds its pool
    private final Semaphore requests;

    public S3Backend(Settings settings) {
        this(settings, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** {@code tempDir} holds packs being written until they are uploaded. */
    public S3Backend(Settings settings, Path tempDir) {
        this.bucket = settings.bucket();
        this.layout = new BucketLayout(settings.prefix());
        this.tempDir = tempDir;
        this.connections = settings.connections();
        this.requests = new Semaphore(connections);
        this.location = "s3:" + (settings.endpoint() == null ? "s3.amazonaws.com" : settings.endpoint().toString())
                + "/" + bucket + (layout.prefix().isEmpty() ? "" : "/" + layout.prefix());
        // streams request bodies from the pack's file (HttpURLConnection would copy them to the heap)
        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                .maxConnections(connections)
                .connectionTimeout(Duration.ofSeconds(30))
                .socketTimeout(Duration.ofMinutes(2));
        TlsTrust tls = settings.tls();
        if (!tls.insecure() && !tls.certificates().isEmpty()) {
            // the SDK's own TLS socket factory and host name check, with these roots
            http.tlsTrustManagersProvider(() -> new TrustManager[] {tls.trustManager()});
        }
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(tls.insecure() ? new TrustingEveryServer(http) : http)
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .forcePathStyle(settings.pathStyle())
                // S3-compatible servers do not all know the SDK's newer default checksum trailers
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(new NoRetryForCertificates(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(MAX_ATTEMPTS)
                                .backoffStrategy(BackoffStrategy.exponentialDelay(BASE_DELAY, MAX_DELAY))
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                                        Duration.ofSeconds(1), Duration.ofSeconds(30)))
                                // a long backup must not give up because earlier requests were retried
                                .circuitBreakerEnabled(false)
                                .build()))
                        .build());
        if (settings.endpoint() != null) {
            b.endpointOverride(settings.endpoint());
        } else {
            b.crossRegionAccessEnabled(true);
        }
        this.s3 = b.build();
    }

    /**
     * The Apache client with the SDK's own switch for trusting every server: no certificate check
     * and no host name check. The SDK logs a warning when it builds such a client.
     */
    private record TrustingEveryServer(ApacheHttpClient.Builder apache) implements SdkHttpClient.Builder<TrustingEveryServer> {
        @Override
        public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
            return apache.buildWithDefaults(AttributeMap.builder()
                    .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true).build()
                    .merge(serviceDefaults));
        }
    }

    /**
     * The SDK retries every I/O failure, a failed TLS handshake included; but a certificate that was
     * not accepted will not be accepted on the next attempt either, so such failures end at once
     * instead of after a minute of backoff. Everything else is left to {@code delegate}, which
     * already holds the SDK's and AWS's retry conditions.
     */
    private record NoRetryForCertificates(RetryStrategy delegate) implements RetryStrategy {
        @Override
        public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
            return delegate.acquireInitialToken(request);
        }

        @Override
        public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
            if (TlsTrust.certificateProblem(request.failure()) != null) {
                throw new TokenAcquisitionFailedException("the server's certificate was not accepted",
                        request.token(), request.failure());
            }
            return delegate.refreshRetryToken(request);
        }

        @Override
        public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
            return delegate.recordSuccess(request);
        }

        @Override
        public int maxAttempts() {
            return delegate.maxAttempts();
        }

        @Override
        public boolean useClientDefaults() {
            // the client would otherwise rebuild the strategy from toBuilder(), dropping this wrapper
            return false;
        }

        @Override
        public RetryStrategy.Builder<?, ?> toBuilder() {
            return delegate.toBuilder();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private static AwsCredentialsProvider credentials(Settings s) {
        if (s.accessKeyId() != null && s.secretAccessKey() != null) {
            return StaticCredentialsProvider.create(s.sessionToken() != null
                    ? AwsSessionCredentials.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken())
                    : AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private String key(String path) {
        return layout.key(path);
    }

    private String key(Handle handle) {
        return key(handle.path());
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public int connections() {
        return connections;
    }

    @Override
    public void create() throws IOException {
        try {
            try {
                call(() -> s3.headBucket(r -> r.bucket(bucket)));
            } catch (SdkServiceException e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                try {
                    call(() -> s3.createBucket(r -> r.bucket(bucket)));
                } catch (BucketAlreadyOwnedByYouException e2) {
                    // an earlier attempt created it, but its answer was lost
                }
            }
        } catch (SdkException e) {
            throw failure("cannot create bucket " + bucket, e);
        }
        if (exists(Handle.CONFIG)) {
            throw new FileAlreadyExistsException(location + "/config", null, "repository already exists");
        }
    }

    @Override
    public void save(Handle handle, List<byte[]> parts) throws IOException {
        byte[] all = UploadedPendingFile.join(parts);
        try {
            call(() -> s3.putObject(r -> r.bucket(bucket).key(key(handle)).contentLength((long) all.length),
                    RequestBody.fromBytes(all)));
        } catch (SdkException e) {
            throw failure("cannot save " + handle.path(), e);
        }
    }

    @Override
    public PendingFile create(FileType type) throws IOException {
        return UploadedPendingFile.create(tempDir, type, (handle, spool) -> {
            try {
                // fromFile reopens the file for each attempt, so a retried upload sends every byte again
                call(() -> s3.putObject(r -> r.bucket(bucket).key(key(handle)).contentLength(spool.size()),
                        RequestBody.fromFile(spool.path())));
            } catch (SdkException e) {
                throw failure("cannot save " + handle.path(), e);
            }
        });
    }

    @Override
    public byte[] load(Handle handle) throws IOException {
        try {
            return get(GetObjectRequest.builder().bucket(bucket).key(key(handle)).build()).bytes();
        } catch (SdkException e) {
            throw failure(handle, e);
        }
    }

    @Override
    public byte[] load(Handle handle, long offset, int length) throws IOException {
        if (length == 0) {
            long size = size(handle);
            if (offset > size) {
                throw handle.shortRead(offset, length, size);
            }
            return new byte[0];
        }
        Body got;
        try {
            got = get(GetObjectRequest.builder().bucket(bucket).key(key(handle))
                    .range("bytes=" + offset + "-" + (offset + length - 1)).build());
        } catch (SdkServiceException e) {
            if (e.statusCode() == 416) {
                throw handle.shortRead(offset, length, size(handle));
            }
            throw failure(handle, e);
        } catch (SdkException e) {
            throw failure(handle, e);
        }
        byte[] data = got.bytes();
        if (data.length != length) {
            throw handle.shortRead(offset, length, totalSize(got.response(), handle));
        }
        return data;
    }

    /** A GET's answer. */
    private record Body(GetObjectResponse response, byte[] bytes) {
    }

    /**
     * Reads the body into one array of the announced size; the SDK's own byte transformer grows a
     * buffer and copies the data twice more, which costs CPU and garbage on every pack read. A body
     * that breaks off is retried, as the SDK's transformer does it.
     */
    private Body get(GetObjectRequest request) {
        return call(() -> s3.getObject(request, (ResponseTransformer<GetObjectResponse, Body>) (response, in) -> {
            try {
                Long announced = response.contentLength();
                if (announced == null || announced < 0 || announced > Integer.MAX_VALUE - 8) {
                    return new Body(response, in.readAllBytes());
                }
                byte[] b = new byte[(int) (long) announced];
                int n = in.readNBytes(b, 0, b.length);
                if (n != b.length) {
                    throw new EOFException("the answer broke off after " + n + " of " + announced + " bytes");
                }
                return new Body(response, b);
            } catch (IOException e) {
                throw RetryableException.builder().message("reading the answer failed: " + e.getMessage()).cause(e).build();
            }
        }));
    }

    private long totalSize(GetObjectResponse r, Handle handle) throws IOException {
        String range = r.contentRange();
        if (range != null && range.lastIndexOf('/') >= 0) {
            try {
                return Long.parseLong(range.substring(range.lastIndexOf('/') + 1));
            } catch (NumberFormatException e) {
                // fall through to a HEAD
            }
        }
        return size(handle);
    }

    @Override
    public long size(Handle handle) throws IOException {
        return head(handle).contentLength();
    }

    private HeadObjectResponse head(Handle handle) throws IOException {
        try {
            return call(() -> s3.headObject(r -> r.bucket(bucket).key(key(handle))));
        } catch (SdkException e) {
            throw failure(handle, e);
        }
    }

    @Override
    public boolean exists(Handle handle) throws IOException {
        try {
            head(handle);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public List<String> list(FileType type) throws IOException {
        List<String> names = new ArrayList<>();
        if (type == FileType.CONFIG) {
            return names;
        }
        String dir = layout.listPrefix(type);
        try {
            String token = null;
            do {
                // page by page rather than with the SDK's paginator, so each page can be retried on its own
                String from = token;
                ListObjectsV2Response page = call(() -> s3.listObjectsV2(r -> r.bucket(bucket).prefix(dir)
                        .continuationToken(from)));
                for (S3Object o : page.contents()) {
                    String name = layout.fileName(type, o.key());
                    if (name != null) {
                        names.add(name);
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkServiceException e) {
            if (e.statusCode() == 404) {
                return names; // no bucket, no files
            }
            throw failure("cannot list " + type.directory(), e);
        } catch (SdkException e) {
            throw failure("cannot list " + type.directory(), e);
        }
        return names;
    }

    @Override
    public void remove(Handle handle) throws IOException {
        head(handle); // S3 deletes of missing objects succeed; the contract wants NotFoundException
        try {
            call(() -> s3.deleteObject(r -> r.bucket(bucket).key(key(handle))));
        } catch (SdkException e) {
            throw failure(handle, e);
        }
    }

    /**
     * Runs one SDK call, within the connection limit. The SDK retries failed attempts itself, except
     * when an answer breaks off while its XML body is parsed (a listing, an error): then it throws an
     * UncheckedIOException at once. Those are retried here, with the same limit and backoff.
     */
    private <T> T call(Supplier<T> request) {
        try {
            requests.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("interrupted waiting for a connection to " + location, e);
        }
        try {
            return retryingBrokenAnswers(request);
        } finally {
            requests.release();
        }
    }

    private static <T> T retryingBrokenAnswers(Supplier<T> request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return request.get();
            } catch (UncheckedIOException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw SdkClientException.create("the answer broke off " + attempt + " times: " + e.getMessage(), e);
                }
                long delay = Math.min(MAX_DELAY.toMillis(), BASE_DELAY.toMillis() << (attempt - 1));
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw SdkClientException.create("interrupted while retrying", ie);
                }
            }
        }
    }

    private IOException failure(Handle handle, SdkException e) {
        if (e instanceof SdkServiceException s && s.statusCode() == 404) {
            return new NotFoundException(handle.path() + " not found in repository " + location);
        }
        return failure("cannot access " + handle.path(), e);
    }

    private IOException failure(String what, SdkException e) {
        String detail = TlsTrust.describe(e, e.getMessage());
        if (e instanceof SdkServiceException s && s.statusCode() == 403) {
            detail = "access denied (check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY): " + detail;
        }
        return new IOException(what + " in repository " + location + ": " + detail, e);
    }

    @Override
    public void close() {
        s3.close();
    }
}
