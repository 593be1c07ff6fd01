package dev.stowage.engine.backend;

import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.Credentials;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.BaseServiceException;
import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.StorageRetryStrategy;
import dev.stowage.engine.StowageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * A repository in a Google Cloud Storage bucket, in restic's layout under an optional prefix:
 * {@code <prefix>/config}, {@code <prefix>/keys/<id>}, {@code <prefix>/data/<id[0:2]>/<id>} and so on.
 *
 * <p>GCS objects become visible only when their upload is complete: small files are one request,
 * a {@link PendingFile} (a pack being filled) is buffered in a temporary local file and uploaded on
 * commit in one resumable session, which GCS finalizes only when every byte has arrived. At most
 * {@link Settings#connections()} requests run at once. Transient failures (5xx, 408, 429, broken
 * connections, timeouts) are retried by the client with exponential backoff and jitter;
 * authentication errors (401, 403) and 404s are not.
 */
public final class GcsBackend implements Backend {
    /** restic's default for {@code -o gs.connections}. */
    public static final int DEFAULT_CONNECTIONS = 5;
    /** Attempts per request, including the first. */
    static final int MAX_ATTEMPTS = 8;

    /** Environment variables {@link #open(Settings, Map)} reads. */
    public static final String PROJECT_ID = "GOOGLE_PROJECT_ID";
    public static final String SERVICE_ACCOUNT_JSON_KEY = "GOOGLE_SERVICE_ACCOUNT_JSON_KEY";
    public static final String ACCESS_TOKEN = "GOOGLE_ACCESS_TOKEN";
    public static final String EMULATOR_HOST = "STORAGE_EMULATOR_HOST";

    /**
     * The client's backoff: 0.2 s doubling up to 20 s, each delay drawn at random below its bound
     * (gax always jitters), within 10 minutes for a request and all its retries.
     */
    static final RetrySettings RETRY = RetrySettings.newBuilder()
            .setMaxAttempts(MAX_ATTEMPTS)
            .setInitialRetryDelayDuration(Duration.ofMillis(200))
            .setRetryDelayMultiplier(2.0)
            .setMaxRetryDelayDuration(Duration.ofSeconds(20))
            .setTotalTimeoutDuration(Duration.ofMinutes(10))
            .setInitialRpcTimeoutDuration(Duration.ofMinutes(10))
            .setRpcTimeoutMultiplier(1.0)
            .setMaxRpcTimeoutDuration(Duration.ofMinutes(10))
            .build();

    /**
     * Which repository to use.
     *
     * @param prefix      the repository's directory in the bucket, empty for its root
     * @param connections requests run at once, and packs uploaded in parallel ({@link #connections()})
     */
    public record Settings(String bucket, String prefix, int connections) {
        public Settings {
            if (bucket == null || bucket.isEmpty()) {
                throw new IllegalArgumentException("a bucket is needed");
            }
            if (connections < 1) {
                throw new IllegalArgumentException("at least one connection is needed");
            }
            prefix = BucketLayout.normalize(prefix);
        }
    }

    private final Storage storage;
    private final String bucket;
    private final BucketLayout layout;
    private final String location;
    private final Path tempDir;
    private final int connections;
    // the client has no limit of its own; restic bounds its GCS requests the same way
    private final Semaphore requests;

    /**
     * A backend over {@code storage}, which it closes on {@link #close()}; {@code tempDir} holds packs
     * being written until they are uploaded.
     */
    public GcsBackend(Storage storage, Settings settings, Path tempDir) {
        this.storage = storage;
        this.bucket = settings.bucket();
        this.layout = new BucketLayout(settings.prefix());
        this.tempDir = tempDir;
        this.connections = settings.connections();
        this.requests = new Semaphore(connections);
        this.location = "gs:" + bucket + ":/" + layout.prefix();
    }

    /**
     * Opens the repository with credentials from {@code env}, in this order:
     * {@code STORAGE_EMULATOR_HOST} (an emulator such as fake-gcs-server, no credentials),
     * {@code GOOGLE_SERVICE_ACCOUNT_JSON_KEY} (a service account key's JSON, as Stash passes it),
     * {@code GOOGLE_ACCESS_TOKEN} (an OAuth2 token, as restic reads it), else application default
     * credentials ({@code GOOGLE_APPLICATION_CREDENTIALS}, gcloud's login, the metadata server on
     * GKE and GCE). {@code GOOGLE_PROJECT_ID} names the project a missing bucket is created in
     * (default: the service account's project, else the library's default project). The servers
     * trusted are those {@link TlsTrust#fromEnv} reads from {@code env}.
     */
    public static GcsBackend open(Settings settings, Map<String, String> env) {
        return open(settings, env, TlsTrust.fromEnv(env));
    }

    /** As {@link #open(Settings, Map)}, trusting the servers {@code tls} names. */
    public static GcsBackend open(Settings settings, Map<String, String> env, TlsTrust tls) {
        String project = nonEmpty(env.get(PROJECT_ID));
        String emulator = nonEmpty(env.get(EMULATOR_HOST));
        String json = nonEmpty(env.get(SERVICE_ACCOUNT_JSON_KEY));
        String token = nonEmpty(env.get(ACCESS_TOKEN));
        Credentials credentials;
        URI endpoint = null;
        if (emulator != null) {
            endpoint = URI.create(emulator.contains("://") ? emulator : "http://" + emulator);
            credentials = NoCredentials.getInstance();
            // emulators ignore the project; without one the library would ask the metadata server
            project = project != null ? project : "stowage";
        } else if (json != null) {
            ServiceAccountCredentials account;
            try {
                account = ServiceAccountCredentials.fromStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                throw new StowageException(SERVICE_ACCOUNT_JSON_KEY + " is not a service account key: " + e.getMessage(), e);
            }
            credentials = account;
            project = project != null ? project : account.getProjectId();
        } else if (token != null) {
            credentials = GoogleCredentials.create(new AccessToken(token, null));
        } else {
            try {
                credentials = GoogleCredentials.getApplicationDefault();
            } catch (IOException e) {
                throw new StowageException("no Google credentials for gs:" + settings.bucket() + ": set "
                        + SERVICE_ACCOUNT_JSON_KEY + " or GOOGLE_APPLICATION_CREDENTIALS (" + e.getMessage() + ")", e);
            }
        }
        return new GcsBackend(client(credentials, project, endpoint, RETRY, tls), settings,
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * A client with Stowage's timeouts and retry policy.
     *
     * @param projectId {@code null} lets the library find the default project
     * @param endpoint  {@code null} for Google's
     */
    static Storage client(Credentials credentials, String projectId, URI endpoint, RetrySettings retry) {
        return client(credentials, projectId, endpoint, retry, TlsTrust.defaults());
    }

    /** As {@link #client(Credentials, String, URI, RetrySettings)}, trusting the servers {@code tls} names. */
    static Storage client(Credentials credentials, String projectId, URI endpoint, RetrySettings retry, TlsTrust tls) {
        HttpTransportOptions.Builder transport = HttpTransportOptions.newBuilder()
                .setConnectTimeout((int) Duration.ofSeconds(30).toMillis())
                .setReadTimeout((int) Duration.ofMinutes(2).toMillis());
        if (!tls.isDefault()) {
            // the client's default transport is a plain NetHttpTransport; this one differs only in TLS.
            // Credentials fetch their tokens with their own transport, from Google's servers.
            transport.setHttpTransportFactory(() -> transport(tls));
        }
        HttpStorageOptions.Builder b = StorageOptions.http()
                .setCredentials(credentials)
                .setRetrySettings(retry)
                // The default strategy retries a create or delete only with a generation precondition.
                // Here every request is retried by the rules for idempotent ones (5xx, 408, 429, resets,
                // timeouts; never 401, 403, 404): an object is always written whole, under a name
                // derived from its content, so writing it again writes the same bytes.
                .setStorageRetryStrategy(StorageRetryStrategy.getUniformStorageRetryStrategy())
                .setTransportOptions(transport.build());
        if (projectId != null) {
            b.setProjectId(projectId);
        }
        if (endpoint != null) {
            b.setHost(endpoint.toString());
        }
        return b.build().getService();
    }

    private static NetHttpTransport transport(TlsTrust tls) {
        NetHttpTransport.Builder b = new NetHttpTransport.Builder();
        if (tls.insecure()) {
            try {
                b.doNotValidateCertificate(); // neither the certificate nor the host name
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot turn TLS verification off: " + e.getMessage(), e);
            }
        } else {
            b.setSslSocketFactory(tls.sslContext().getSocketFactory());
        }
        return b.build();
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private String key(String path) {
        return layout.key(path);
    }

    private BlobId id(Handle handle) {
        return BlobId.of(bucket, key(handle.path()));
    }

    /** The client's project, credentials and host. */
    StorageOptions clientOptions() {
        return storage.getOptions();
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public int connections() {
        return connections;
    }

    /** A storage call that may fail with the client's unchecked exceptions. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    /** Runs {@code call} within the connection limit. */
    private <T> T limited(Call<T> call) throws IOException {
        try {
            requests.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a connection to " + location);
        }
        try {
            return call.run();
        } finally {
            requests.release();
        }
    }

    @Override
    public void create() throws IOException {
        try {
            limited(() -> {
                try {
                    // listing needs only storage.objects.list, which the repository needs anyway;
                    // reading the bucket's metadata would also need storage.buckets.get
                    storage.list(bucket, Storage.BlobListOption.pageSize(1));
                } catch (RuntimeException e) {
                    if (status(e) != 404) {
                        throw e;
                    }
                    storage.create(BucketInfo.of(bucket));
                }
                return null;
            });
        } catch (RuntimeException e) {
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
            // one request with the bytes' CRC32C, which GCS checks; repository files are encrypted,
            // so the client's default gzip of the request would only cost CPU
            limited(() -> storage.create(BlobInfo.newBuilder(id(handle)).build(), all,
                    Storage.BlobTargetOption.disableGzipContent()));
        } catch (RuntimeException e) {
            throw failure("cannot save " + handle.path(), e);
        }
    }

    @Override
    public PendingFile create(FileType type) throws IOException {
        return UploadedPendingFile.create(tempDir, type, (handle, spool) -> {
            try {
                // a resumable session streamed from the file: a retry resumes where GCS stopped
                // receiving, and the object appears only when the session is finalized
                limited(() -> storage.createFrom(BlobInfo.newBuilder(id(handle)).build(), spool.path()));
            } catch (RuntimeException e) {
                throw failure("cannot save " + handle.path(), e);
            }
        });
    }

    @Override
    public byte[] load(Handle handle) throws IOException {
        try {
            return limited(() -> storage.readAllBytes(id(handle)));
        } catch (RuntimeException e) {
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
        ByteBuffer dst = ByteBuffer.allocate(length);
        try {
            limited(() -> {
                try (ReadChannel r = storage.reader(id(handle))) {
                    r.setChunkSize(0); // read straight into dst, not through the channel's 2 MiB buffer
                    r.seek(offset);
                    r.limit(offset + length);
                    while (dst.hasRemaining() && r.read(dst) >= 0) {
                        // GCS ends a range at the end of the object, so a short file stops early
                    }
                }
                return null;
            });
        } catch (IOException | RuntimeException e) {
            throw failure(handle, e);
        }
        if (dst.hasRemaining()) {
            throw handle.shortRead(offset, length, size(handle));
        }
        return dst.array();
    }

    @Override
    public long size(Handle handle) throws IOException {
        Blob blob = get(handle);
        if (blob == null) {
            throw notFound(handle);
        }
        return blob.getSize();
    }

    private Blob get(Handle handle) throws IOException {
        try {
            // null when the object (or the bucket) does not exist
            return limited(() -> storage.get(id(handle), Storage.BlobGetOption.fields(Storage.BlobField.SIZE)));
        } catch (RuntimeException e) {
            throw failure(handle, e);
        }
    }

    @Override
    public boolean exists(Handle handle) throws IOException {
        return get(handle) != null;
    }

    @Override
    public List<String> list(FileType type) throws IOException {
        List<String> names = new ArrayList<>();
        if (type == FileType.CONFIG) {
            return names;
        }
        try {
            limited(() -> {
                for (Blob b : storage.list(bucket, Storage.BlobListOption.prefix(layout.listPrefix(type)),
                        Storage.BlobListOption.fields(Storage.BlobField.NAME)).iterateAll()) {
                    String name = layout.fileName(type, b.getName());
                    if (name != null) {
                        names.add(name);
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            if (status(e) == 404) {
                return new ArrayList<>(); // no bucket, no files
            }
            throw failure("cannot list " + type.directory(), e);
        }
        return names;
    }

    @Override
    public void remove(Handle handle) throws IOException {
        boolean deleted;
        try {
            deleted = limited(() -> storage.delete(id(handle)));
        } catch (RuntimeException e) {
            throw failure(handle, e);
        }
        if (!deleted) {
            throw notFound(handle);
        }
    }

    /** The HTTP status the client reported in {@code e} or its causes; 0 if there is none. */
    static int status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BaseServiceException s && s.getCode() > 0) {
                return s.getCode();
            }
            if (t instanceof HttpResponseException h) {
                return h.getStatusCode();
            }
        }
        return 0;
    }

    private NotFoundException notFound(Handle handle) {
        return new NotFoundException(handle.path() + " not found in repository " + location);
    }

    private IOException failure(Handle handle, Exception e) {
        if (status(e) == 404) {
            return notFound(handle);
        }
        return failure("cannot access " + handle.path(), e);
    }

    private IOException failure(String what, Exception e) {
        String detail = TlsTrust.describe(e, e.getMessage());
        int status = status(e);
        if (status == 401 || status == 403) {
            detail = "access denied (check " + SERVICE_ACCOUNT_JSON_KEY + " or GOOGLE_APPLICATION_CREDENTIALS, "
                    + "and the account's permissions on the bucket): " + detail;
        }
        return new IOException(what + " in repository " + location + ": " + detail, e);
    }

    @Override
    public void close() throws IOException {
        try {
            storage.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot close the connection to " + location, e);
        }
    }
}
