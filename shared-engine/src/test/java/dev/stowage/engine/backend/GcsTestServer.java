package dev.stowage.engine.backend;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * Enough of the GCS JSON API over real HTTP on 127.0.0.1 for the client GcsBackend configures:
 * multipart and resumable uploads, media downloads with ranges as GCS answers them, metadata,
 * listing, deletes and bucket creation; plus scripted failures, so retries can be counted. The CLI's
 * tests use it through the engine's test jar, as {@code STORAGE_EMULATOR_HOST}.
 */
public final class GcsTestServer implements AutoCloseable {
    private static final Pattern OBJECT = Pattern.compile("^(?:/download|/upload)?/storage/v1/b/([^/]+)/o(?:/(.+))?$");
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");

    public final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    public final Set<String> buckets = ConcurrentHashMap.newKeySet();
    /** "METHOD path?query" of every request, in arrival order, with " (gzip)" for a compressed body. */
    public final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    public final AtomicInteger inFlight = new AtomicInteger();
    public final AtomicInteger maxInFlight = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    private final List<Integer> failures = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean failForever;
    private volatile int foreverStatus;
    private volatile long delayMillis;

    public GcsTestServer(String bucket) throws IOException {
        this(bucket, null);
    }

    /** Over HTTPS with the certificate of {@code tls} (see {@link TestCertificates#serverContext()}), or HTTP if null. */
    public GcsTestServer(String bucket, SSLContext tls) throws IOException {
        buckets.add(bucket);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        if (tls != null) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(address, 0);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI endpoint() {
        return URI.create((server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * The next requests are answered with these statuses, in order; 0 drops the connection
     * unanswered, -1 lets a request through.
     */
    public void fail(Integer... statuses) {
        failures.addAll(Arrays.asList(statuses));
    }

    public void failForever(int status) {
        foreverStatus = status;
        failForever = true;
    }

    /** Every request takes this long, so parallel ones overlap. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    public int count(String prefix) {
        synchronized (requests) {
            return (int) requests.stream().filter(r -> r.startsWith(prefix)).count();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            boolean gzip = "gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"));
            if (gzip) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            String query = ex.getRequestURI().getRawQuery();
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + (query == null ? "" : "?" + query)
                    + (gzip ? " (gzip)" : ""));
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            Integer failure = failures.isEmpty() ? null : failures.remove(0);
            if (failure != null && failure < 0) {
                failure = null;
            } else if (failure == null && failForever) {
                failure = foreverStatus;
            }
            if (failure != null) {
                if (failure == 0) {
                    ex.close(); // closing an exchange that sent nothing closes its connection
                    return;
                }
                error(ex, failure);
                return;
            }
            answer(ex, body, params(query));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            ex.close();
        }
    }

    private void answer(HttpExchange ex, byte[] body, Map<String, String> params) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        if (method.equals("POST") && path.equals("/storage/v1/b")) {
            Matcher m = NAME.matcher(new String(body, StandardCharsets.UTF_8));
            if (!m.find() || params.get("project") == null) {
                error(ex, 400);
                return;
            }
            buckets.add(m.group(1));
            json(ex, 200, "{\"kind\":\"storage#bucket\",\"name\":\"" + m.group(1) + "\"}");
            return;
        }
        if (method.equals("PUT") && params.containsKey("upload_id")) {
            resumablePut(ex, body, params.get("upload_id"));
            return;
        }
        Matcher m = OBJECT.matcher(path);
        if (!m.matches()) {
            error(ex, 400);
            return;
        }
        String bucket = decode(m.group(1));
        if (!buckets.contains(bucket)) {
            error(ex, 404);
            return;
        }
        String name = m.group(2) == null ? null : decode(m.group(2));
        if (name == null && method.equals("GET")) {
            list(ex, bucket, params.getOrDefault("prefix", ""));
        } else if (name == null && method.equals("POST") && "multipart".equals(params.get("uploadType"))) {
            multipart(ex, bucket, body);
        } else if (name == null && method.equals("POST") && "resumable".equals(params.get("uploadType"))) {
            Matcher n = NAME.matcher(new String(body, StandardCharsets.UTF_8));
            String object = n.find() ? n.group(1) : params.get("name");
            String id = "session-" + sessions.size();
            sessions.put(id, bucket + "/" + object);
            ex.getResponseHeaders().add("Location", endpoint() + "/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&upload_id=" + id);
            ex.sendResponseHeaders(200, -1);
        } else if (name != null && method.equals("GET") && "media".equals(params.get("alt"))) {
            media(ex, bucket + "/" + name);
        } else if (name != null && method.equals("GET")) {
            byte[] data = objects.get(bucket + "/" + name);
            if (data == null) {
                error(ex, 404);
            } else {
                json(ex, 200, object(bucket, name, data.length));
            }
        } else if (name != null && method.equals("DELETE")) {
            if (objects.remove(bucket + "/" + name) == null) {
                error(ex, 404);
            } else {
                ex.sendResponseHeaders(204, -1);
            }
        } else {
            error(ex, 400);
        }
    }

    private void list(HttpExchange ex, String bucket, String prefix) throws IOException {
        StringBuilder items = new StringBuilder();
        for (String key : objects.keySet().stream().sorted().toList()) {
            String name = key.substring(bucket.length() + 1);
            if (key.startsWith(bucket + "/") && name.startsWith(prefix)) {
                items.append(items.length() == 0 ? "" : ",").append(object(bucket, name, objects.get(key).length));
            }
        }
        json(ex, 200, "{\"kind\":\"storage#objects\",\"items\":[" + items + "]}");
    }

    /** multipart/related: the object's JSON metadata, then its bytes. */
    private void multipart(HttpExchange ex, String bucket, byte[] body) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        String boundary = type.substring(type.indexOf("boundary=") + "boundary=".length()).replace("\"", "");
        String all = new String(body, StandardCharsets.ISO_8859_1); // one char per byte
        String[] parts = all.split("--" + Pattern.quote(boundary));
        Matcher n = NAME.matcher(parts[1]);
        if (!n.find()) {
            error(ex, 400);
            return;
        }
        String media = parts[2].substring(parts[2].indexOf("\r\n\r\n") + 4, parts[2].length() - 2);
        byte[] data = media.getBytes(StandardCharsets.ISO_8859_1);
        objects.put(bucket + "/" + n.group(1), data);
        json(ex, 200, object(bucket, n.group(1), data.length));
    }

    /** One PUT carries the whole file; a status query ("bytes *&#47;N") learns that nothing is stored yet. */
    private void resumablePut(HttpExchange ex, byte[] body, String id) throws IOException {
        String target = sessions.get(id);
        String range = ex.getRequestHeaders().getFirst("Content-Range");
        if (target == null || range == null) {
            error(ex, 404);
            return;
        }
        if (range.startsWith("bytes */")) {
            ex.sendResponseHeaders(308, -1);
            return;
        }
        objects.put(target, body);
        int slash = target.indexOf('/');
        json(ex, 200, object(target.substring(0, slash), target.substring(slash + 1), body.length));
    }

    private void media(HttpExchange ex, String key) throws IOException {
        byte[] data = objects.get(key);
        if (data == null) {
            error(ex, 404);
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        ex.getResponseHeaders().add("x-goog-generation", "1");
        ex.getResponseHeaders().add("x-goog-stored-content-length", String.valueOf(data.length));
        if (range == null) {
            ex.sendResponseHeaders(200, data.length);
            ex.getResponseBody().write(data);
            return;
        }
        // GCS: a range is cut at the end of the object, and one starting past the end is a 416
        String[] bounds = range.substring("bytes=".length()).split("-", -1);
        long from = Long.parseLong(bounds[0]);
        long to = bounds[1].isEmpty() ? data.length - 1 : Math.min(Long.parseLong(bounds[1]), data.length - 1);
        if (from >= data.length) {
            ex.getResponseHeaders().add("Content-Range", "bytes */" + data.length);
            error(ex, 416);
            return;
        }
        ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + data.length);
        ex.sendResponseHeaders(206, to - from + 1);
        ex.getResponseBody().write(data, (int) from, (int) (to - from + 1));
    }

    private static String object(String bucket, String name, long size) {
        return "{\"kind\":\"storage#object\",\"bucket\":\"" + bucket + "\",\"name\":\"" + name
                + "\",\"generation\":\"1\",\"size\":\"" + size + "\"}";
    }

    private static void error(HttpExchange ex, int status) throws IOException {
        String reason = switch (status) {
            case 401 -> "required";
            case 403 -> "forbidden";
            case 404 -> "notFound";
            case 429 -> "rateLimitExceeded";
            default -> "backendError";
        };
        json(ex, status, "{\"error\":{\"code\":" + status + ",\"message\":\"scripted " + status + "\",\"errors\":[{\"reason\":\""
                + reason + "\",\"message\":\"scripted " + status + "\",\"domain\":\"global\"}]}}");
    }

    private static void json(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static Map<String, String> params(String query) {
        Map<String, String> p = new HashMap<>();
        if (query != null) {
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                p.put(decode(eq < 0 ? kv : kv.substring(0, eq)), eq < 0 ? "" : decode(kv.substring(eq + 1)));
            }
        }
        return p;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
