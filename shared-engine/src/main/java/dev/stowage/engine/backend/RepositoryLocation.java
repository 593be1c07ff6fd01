package dev.stowage.engine.backend;

import dev.stowage.engine.StowageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A repository location as restic writes it: a path, {@code local:PATH},
 * {@code s3:https://host[:port]/bucket[/prefix]}, {@code s3:http://host[:port]/bucket[/prefix]},
 * {@code s3:host/bucket[/prefix]} (https, e.g. {@code s3:s3.amazonaws.com/bucket/prefix}) or
 * {@code gs:bucket:/[prefix]}.
 */
public sealed interface RepositoryLocation {
    /** The environment variables an S3 repository reads. */
    String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    String SESSION_TOKEN = "AWS_SESSION_TOKEN";
    String DEFAULT_REGION = "AWS_DEFAULT_REGION";

    /**
     * Opens the backend without extended options; see {@link #open(Map, Map)}.
     */
    default Backend open(Map<String, String> env) {
        return open(env, Map.of());
    }

    /**
     * Opens the backend, trusting the TLS servers {@code env} names ({@link TlsTrust#fromEnv}); see
     * {@link #open(Map, Map, TlsTrust)}.
     */
    default Backend open(Map<String, String> env, Map<String, String> options) {
        return open(env, options, TlsTrust.fromEnv(env));
    }

    /**
     * Opens the backend. {@code env} supplies credentials: for S3 AWS_ACCESS_KEY_ID,
     * AWS_SECRET_ACCESS_KEY, optional AWS_SESSION_TOKEN and AWS_DEFAULT_REGION (default us-east-1),
     * else the AWS SDK's default chain; for GCS the variables {@link GcsBackend#open} reads.
     * {@code options} are restic's extended options ({@code -o gs.connections=10}): those of this
     * location's type must be known, those of other types are ignored, as in restic. {@code tls}
     * says which servers S3 and GCS trust; a local repository ignores it.
     */
    Backend open(Map<String, String> env, Map<String, String> options, TlsTrust tls);

    record Local(Path path) implements RepositoryLocation {
        @Override
        public Backend open(Map<String, String> env, Map<String, String> options, TlsTrust tls) {
            String directIo = optionsOf("local", options, Set.of("direct-io")).getOrDefault("direct-io", "true");
            if (!directIo.equals("true") && !directIo.equals("false")) {
                throw new StowageException("invalid value \"" + directIo + "\" for option local.direct-io: "
                        + "expected true or false");
            }
            return new LocalBackend(path, Boolean.parseBoolean(directIo));
        }
    }

    /** {@code endpoint} is null for AWS itself ({@code s3.amazonaws.com}). */
    record S3(URI endpoint, String bucket, String prefix) implements RepositoryLocation {
        @Override
        public Backend open(Map<String, String> env, Map<String, String> options, TlsTrust tls) {
            Map<String, String> own = optionsOf("s3", options, Set.of("connections"));
            int connections = connections("s3", own, S3Backend.DEFAULT_CONNECTIONS);
            String region = nonEmpty(env.get(DEFAULT_REGION));
            // AWS's own hosts address buckets by name; other servers (MinIO, Ceph, s3proxy) by path
            boolean aws = endpoint == null || endpoint.getHost().endsWith(".amazonaws.com");
            return new S3Backend(new S3Backend.Settings(endpoint, !aws, region != null ? region : "us-east-1",
                    bucket, prefix, nonEmpty(env.get(ACCESS_KEY_ID)), nonEmpty(env.get(SECRET_ACCESS_KEY)),
                    nonEmpty(env.get(SESSION_TOKEN)), connections, tls));
        }

        private static String nonEmpty(String s) {
            return s == null || s.isEmpty() ? null : s;
        }
    }

    /** A Google Cloud Storage bucket; {@code prefix} is empty for the bucket's root. */
    record Gcs(String bucket, String prefix) implements RepositoryLocation {
        @Override
        public Backend open(Map<String, String> env, Map<String, String> options, TlsTrust tls) {
            Map<String, String> own = optionsOf("gs", options, Set.of("connections"));
            int connections = connections("gs", own, GcsBackend.DEFAULT_CONNECTIONS);
            // GcsBackend, and with it the Google client, is loaded only here: other locations never load it
            return GcsBackend.open(new GcsBackend.Settings(bucket, prefix, connections), env, tls);
        }
    }

    /** The {@code connections} option of {@code scheme} (restic's name for parallel requests), above 0. */
    private static int connections(String scheme, Map<String, String> own, int defaultCount) {
        String c = own.get("connections");
        if (c == null) {
            return defaultCount;
        }
        int connections;
        try {
            connections = Integer.parseInt(c);
        } catch (NumberFormatException e) {
            connections = 0;
        }
        if (connections < 1) {
            throw new StowageException("invalid value \"" + c + "\" for option " + scheme
                    + ".connections: expected a number above 0");
        }
        return connections;
    }

    /** Parses {@code location}; fails for types this build does not support. */
    static RepositoryLocation parse(String location) {
        if (location.startsWith("local:")) {
            return new Local(Path.of(location.substring("local:".length())));
        }
        if (location.startsWith("s3:")) {
            return parseS3(location);
        }
        if (location.startsWith("gs:")) {
            return parseGcs(location);
        }
        int colon = location.indexOf(':');
        if (colon > 1 && !location.startsWith("/") && location.substring(0, colon).matches("[a-z0-9]+")) {
            throw new StowageException("repository type \"" + location.substring(0, colon)
                    + "\" is not supported by this build; use a local path, local:PATH, s3:... or gs:...");
        }
        return new Local(Path.of(location));
    }

    /** restic's rule: the bucket up to the first colon, then a path cleaned as Go's path.Clean, without its leading slash. */
    private static Gcs parseGcs(String location) {
        String rest = location.substring("gs:".length());
        int colon = rest.indexOf(':');
        if (colon <= 0) {
            throw new StowageException("invalid GCS repository \"" + location + "\": expected gs:bucket:/[prefix]");
        }
        return new Gcs(rest.substring(0, colon), cleanPath(rest.substring(colon + 1)));
    }

    /**
     * Go's {@code path.Clean} without the leading slash, and "" for the root: restic joins "." and
     * "config" to "config", so the empty path and "/" both name the bucket's root.
     */
    private static String cleanPath(String p) {
        boolean rooted = p.startsWith("/");
        Deque<String> parts = new ArrayDeque<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.removeLast();
            } else if (!(part.equals("..") && rooted)) {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    /**
     * The options in {@code scheme}'s namespace, without it; unknown names in that namespace fail,
     * other namespaces are left to their own types (restic's rules).
     */
    private static Map<String, String> optionsOf(String scheme, Map<String, String> options, Set<String> known) {
        Map<String, String> own = new HashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            int dot = e.getKey().indexOf('.');
            if (dot <= 0) {
                throw new StowageException("invalid option \"" + e.getKey() + "\": expected TYPE.NAME=VALUE, e.g. gs.connections=10");
            }
            if (e.getKey().substring(0, dot).equals(scheme)) {
                String name = e.getKey().substring(dot + 1);
                if (!known.contains(name)) {
                    throw new StowageException("option " + e.getKey() + " is not known");
                }
                own.put(name, e.getValue());
            }
        }
        return own;
    }

    private static S3 parseS3(String location) {
        String rest = location.substring("s3:".length());
        String scheme = "https";
        if (rest.startsWith("http://")) {
            scheme = "http";
            rest = rest.substring("http://".length());
        } else if (rest.startsWith("https://")) {
            rest = rest.substring("https://".length());
        } else if (rest.startsWith("//")) {
            rest = rest.substring(2); // restic's older s3://host/bucket form
        }
        String[] parts = rest.split("/", 3);
        if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new StowageException("invalid S3 repository \"" + location
                    + "\": expected s3:https://host[:port]/bucket[/prefix] or s3:s3.amazonaws.com/bucket[/prefix]");
        }
        String host = parts[0];
        String bucket = parts[1];
        String prefix = parts.length == 3 ? stripSlashes(parts[2]) : "";
        URI endpoint = null;
        if (!host.equals("s3.amazonaws.com")) {
            try {
                endpoint = new URI(scheme + "://" + host);
            } catch (URISyntaxException e) {
                throw new StowageException("invalid S3 endpoint \"" + host + "\" in repository \"" + location + "\"");
            }
            if (endpoint.getHost() == null) {
                throw new StowageException("invalid S3 endpoint \"" + host + "\" in repository \"" + location + "\"");
            }
        } else if (scheme.equals("http")) {
            throw new StowageException("AWS S3 needs https: use s3:s3.amazonaws.com/" + bucket);
        }
        return new S3(endpoint, bucket, prefix);
    }

    private static String stripSlashes(String s) {
        return s.replaceAll("^/+", "").replaceAll("/+$", "").replaceAll("/{2,}", "/");
    }
}
