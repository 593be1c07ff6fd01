package dev.stowage.engine.backend;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 proxy for tests that sits between an S3 client and an S3 server and injects the
 * faults of a flaky network or an overloaded server: 503 answers with S3's XML error body, and
 * connections dropped before, during or after a request, or in the middle of a response.
 *
 * <p>Each request is parsed (head, then a body framed by Content-Length or chunked encoding) and,
 * unless a fault is injected, forwarded byte for byte — the Host header included, so the
 * client's SigV4 signature stays valid — over one upstream connection per client connection.
 * {@code Expect: 100-continue} is answered by the proxy itself; the server's own interim answers
 * are dropped.
 *
 * <p>Which request fails is decided by a {@link FaultPlan} from the request's identity (method,
 * target, range) and how often that identity was seen before, not from arrival order: with
 * concurrent clients the order varies between runs, but the fate of a given request does not.
 */
public final class FaultInjectingProxy implements Closeable {
    /** What happens to one request. */
    public enum Fault {
        /** Forwarded and answered normally. */
        NONE,
        /** Answered 503 with an S3 {@code SlowDown} or {@code ServiceUnavailable} XML error; not forwarded. */
        SERVICE_UNAVAILABLE,
        /** Connection closed once the request head is read; the server never sees the request. */
        DROP_BEFORE_BODY,
        /** Part of the body is read and forwarded to the server, then both connections are reset. */
        DROP_DURING_BODY,
        /** Forwarded and carried out by the server, then the connection is closed without an answer. */
        DROP_AFTER_REQUEST,
        /** Forwarded; the answer's head and part of its body reach the client, then the connection is reset. */
        DROP_MID_RESPONSE
    }

    /** A request as the plan sees it. {@code occurrence} counts earlier requests with the same identity. */
    public record Request(String method, String target, String range, long bodyLength, int occurrence) {
    }

    /** Decides the fate of each request. */
    @FunctionalInterface
    public interface FaultPlan {
        Fault decide(Request request);

        /**
         * Faults each request with probability {@code rate} (uniformly among the fault kinds), only
         * on its first {@code maxPerRequest} occurrences so that a client retrying a few times
         * always gets through. Decisions are derived from {@code seed} and the request identity.
         */
        static FaultPlan random(long seed, double rate, int maxPerRequest) {
            Fault[] faults = {Fault.SERVICE_UNAVAILABLE, Fault.DROP_BEFORE_BODY, Fault.DROP_DURING_BODY,
                Fault.DROP_AFTER_REQUEST, Fault.DROP_MID_RESPONSE};
            return r -> {
                if (r.occurrence() >= maxPerRequest) {
                    return Fault.NONE;
                }
                Random rnd = new Random(seed * 31 + (r.method() + " " + r.target() + " " + r.range() + " #"
                        + r.occurrence()).hashCode());
                return rnd.nextDouble() < rate ? faults[rnd.nextInt(faults.length)] : Fault.NONE;
            };
        }
    }

    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final int MAX_HEAD = 64 * 1024;

    private final URI upstream;
    private final FaultPlan plan;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
    private final AtomicLong requests = new AtomicLong();
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closed;

    /** Starts listening on a free port of 127.0.0.1, forwarding to {@code upstream} ({@code http://host:port}). */
    public FaultInjectingProxy(URI upstream, FaultPlan plan) throws IOException {
        this.upstream = upstream;
        this.plan = plan;
        for (Fault f : Fault.values()) {
            injected.put(f, new AtomicInteger());
        }
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** How many requests met {@code fault} so far. */
    public int count(Fault fault) {
        return injected.get(fault).get();
    }

    /** Requests that met any fault. */
    public int faults() {
        return injected.entrySet().stream().filter(e -> e.getKey() != Fault.NONE).mapToInt(e -> e.getValue().get()).sum();
    }

    public long requests() {
        return requests.get();
    }

    /** One line per injected fault ("fault method target [range] #occurrence"), for failure messages. */
    public List<String> faultLog() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    log.add("accept failed: " + e);
                }
            }
        }
    }

    /** Serves one client connection: requests one after the other, until either side closes. */
    private void serve(Socket client) {
        Socket up = null;
        try (client) {
            InputStream cin = client.getInputStream();
            OutputStream cout = client.getOutputStream();
            while (!closed) {
                Head req = Head.read(cin);
                if (req == null) {
                    return;
                }
                requests.incrementAndGet();
                String[] line = req.firstLine().split(" ", 3);
                String method = line[0];
                String target = line.length > 1 ? line[1] : "";
                long length = req.contentLength();
                String identity = method + " " + target + " " + req.header("range");
                int occurrence = seen.computeIfAbsent(identity, k -> new AtomicInteger()).getAndIncrement();
                Fault fault = plan.decide(new Request(method, target, req.header("range"), length, occurrence));
                injected.get(fault).incrementAndGet();
                if (fault != Fault.NONE) {
                    String range = req.header("range");
                    log.add(fault + " " + method + " " + target + (range.isEmpty() ? "" : " " + range) + " #" + occurrence);
                }
                boolean expectContinue = "100-continue".equalsIgnoreCase(req.header("expect"));
                boolean hasBody = length > 0 || req.chunked();
                switch (fault) {
                    case DROP_BEFORE_BODY -> {
                        reset(client);
                        return;
                    }
                    case SERVICE_UNAVAILABLE -> {
                        if (hasBody && expectContinue) {
                            // as S3 does: answer before the body is sent, which spoils the connection
                            cout.write(serviceUnavailable(method, target, occurrence, true));
                            cout.flush();
                            return;
                        }
                        readBody(cin, req, null);
                        cout.write(serviceUnavailable(method, target, occurrence, false));
                        cout.flush();
                        continue;
                    }
                    default -> {
                    }
                }
                if (up == null || up.isClosed()) {
                    up = new Socket();
                    up.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 10_000);
                    open.add(up);
                }
                OutputStream uout = up.getOutputStream();
                if (hasBody && expectContinue) {
                    cout.write(CONTINUE);
                    cout.flush();
                }
                uout.write(req.raw());
                if (fault == Fault.DROP_DURING_BODY) {
                    // half the body reaches the server, then both sides see the connection reset
                    long part = hasBody && length > 0 ? length / 2 : 0;
                    copy(cin, uout, part);
                    uout.flush();
                    reset(up);
                    reset(client);
                    return;
                }
                readBody(cin, req, uout);
                uout.flush();
                InputStream uin = up.getInputStream();
                Head resp;
                do {
                    resp = Head.read(uin);
                    if (resp == null) {
                        throw new EOFException("upstream closed the connection");
                    }
                } while (resp.status() / 100 == 1);
                if (fault == Fault.DROP_AFTER_REQUEST) {
                    // the server did it; the client never hears so
                    reset(up);
                    client.close();
                    return;
                }
                boolean bodyless = method.equals("HEAD") || resp.status() == 204 || resp.status() == 304;
                if (fault == Fault.DROP_MID_RESPONSE) {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    if (!bodyless) {
                        readBody(uin, resp, body);
                    }
                    byte[] b = body.toByteArray();
                    if (b.length > 0) {
                        cout.write(resp.raw());
                        cout.write(b, 0, b.length / 2);
                    } else {
                        cout.write(resp.raw(), 0, resp.raw().length / 2);
                    }
                    cout.flush();
                    reset(up);
                    reset(client);
                    return;
                }
                cout.write(resp.raw());
                if (!bodyless) {
                    if (resp.contentLength() < 0 && !resp.chunked()) {
                        uin.transferTo(cout);
                        return;
                    }
                    readBody(uin, resp, cout);
                }
                cout.flush();
                if (resp.closes() || req.closes()) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client or the server went away; the client's retry opens a new connection
        } finally {
            open.remove(client);
            if (up != null) {
                open.remove(up);
                try {
                    up.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    private static byte[] serviceUnavailable(String method, String target, int occurrence, boolean close) {
        String code = occurrence % 2 == 0 ? "SlowDown" : "ServiceUnavailable";
        String message = code.equals("SlowDown") ? "Please reduce your request rate." : "Service is unable to handle request.";
        byte[] body = ascii("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                + message + "</Message><Resource>" + target.replace("&", "&amp;").replace("<", "&lt;")
                + "</Resource><RequestId>fault-proxy</RequestId></Error>");
        byte[] head = ascii("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nContent-Length: "
                + body.length + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n");
        if (method.equals("HEAD")) {
            return head; // the Content-Length describes the body a GET would have had
        }
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Closes with a TCP reset rather than a clean FIN, as a crashed peer or middlebox would. */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    /** Reads the body {@code head} announces and copies it (raw, chunk framing included) to {@code out} if not null. */
    private static void readBody(InputStream in, Head head, OutputStream out) throws IOException {
        if (head.chunked()) {
            while (true) {
                byte[] sizeLine = readLine(in);
                write(out, sizeLine);
                String hex = new String(sizeLine, StandardCharsets.US_ASCII).trim();
                int semi = hex.indexOf(';');
                long size = Long.parseLong(semi >= 0 ? hex.substring(0, semi) : hex, 16);
                if (size == 0) {
                    // trailers up to the empty line
                    while (true) {
                        byte[] trailer = readLine(in);
                        write(out, trailer);
                        if (trailer.length == 2) {
                            return;
                        }
                    }
                }
                copy(in, out, size);
                write(out, readLine(in));
            }
        }
        long length = head.contentLength();
        if (length > 0) {
            copy(in, out, length);
        }
    }

    private static void write(OutputStream out, byte[] b) throws IOException {
        if (out != null) {
            out.write(b);
        }
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException();
            }
            if (out != null) {
                out.write(buf, 0, r);
            }
            n -= r;
        }
    }

    /** One line including its CRLF. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException();
            }
            b.write(c);
            if (prev == '\r' && c == '\n') {
                return b.toByteArray();
            }
            if (b.size() > MAX_HEAD) {
                throw new IOException("line too long");
            }
            prev = c;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A request or response head: the raw bytes, and what framing needs from them. */
    private record Head(byte[] raw, String firstLine, Map<String, String> headers) {
        /** Reads up to and including the empty line; null if the stream ends before the first byte. */
        static Head read(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int c = in.read();
                if (c < 0) {
                    if (b.size() == 0) {
                        return null;
                    }
                    throw new EOFException("connection closed inside a message head");
                }
                b.write(c);
                matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : (c == '\r' ? 1 : 0);
                if (b.size() > MAX_HEAD) {
                    throw new IOException("message head too long");
                }
            }
            byte[] raw = b.toByteArray();
            String[] lines = new String(raw, StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> headers = new ConcurrentHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            return new Head(raw, lines[0], headers);
        }

        String header(String name) {
            return headers.getOrDefault(name, "");
        }

        long contentLength() {
            String v = header("content-length");
            return v.isEmpty() ? -1 : Long.parseLong(v);
        }

        boolean chunked() {
            return header("transfer-encoding").toLowerCase(Locale.ROOT).contains("chunked");
        }

        boolean closes() {
            return header("connection").equalsIgnoreCase("close");
        }

        int status() {
            String[] p = firstLine.split(" ", 3);
            return p.length > 1 && p[0].startsWith("HTTP/") ? Integer.parseInt(p[1]) : -1;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (SocketException e) {
                // closing anyway
            }
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
