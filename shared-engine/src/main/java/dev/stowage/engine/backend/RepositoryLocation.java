package dev.stowage.engine.backend;

import dev.stowage.engine.StowageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A repository location as restic writes it: a path, {@code local:PATH},
 * {@code s3:https://host[:port]/bucket[/prefix]}, {@code s3:http://host[:port]/bucket[/prefix]} or
 * {@code s3:host/bucket[/prefix]} (https, e.g. {@code s3:s3.amazonaws.com/bucket/prefix}).
 */
public sealed interface RepositoryLocation {
    /** The environment variables an S3 repository reads. */
    String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    String SESSION_TOKEN = "AWS_SESSION_TOKEN";
    String DEFAULT_REGION = "AWS_DEFAULT_REGION";

    /**
     * Opens the backend; {@code env} supplies S3 credentials and region (AWS_ACCESS_KEY_ID,
     * AWS_SECRET_ACCESS_KEY, optional AWS_SESSION_TOKEN, AWS_DEFAULT_REGION defaulting to us-east-1).
     * Without both keys the AWS SDK's default credentials chain is used.
     */
    Backend open(Map<String, String> env);

    record Local(Path path) implements RepositoryLocation {
        @Override
        public Backend open(Map<String, String> env) {
            return new LocalBackend(path);
        }
    }

    /** {@code endpoint} is null for AWS itself ({@code s3.amazonaws.com}). */
    record S3(URI endpoint, String bucket, String prefix) implements RepositoryLocation {
        @Override
        public Backend open(Map<String, String> env) {
            String region = nonEmpty(env.get(DEFAULT_REGION));
            // AWS's own hosts address buckets by name; other servers (MinIO, Ceph, s3proxy) by path
            boolean aws = endpoint == null || endpoint.getHost().endsWith(".amazonaws.com");
            return new S3Backend(new S3Backend.Settings(endpoint, !aws, region != null ? region : "us-east-1",
                    bucket, prefix, nonEmpty(env.get(ACCESS_KEY_ID)), nonEmpty(env.get(SECRET_ACCESS_KEY)),
                    nonEmpty(env.get(SESSION_TOKEN))));
        }

        private static String nonEmpty(String s) {
            return s == null || s.isEmpty() ? null : s;
        }
    }

    /** Parses {@code location}; fails for types this build does not support. */
    static RepositoryLocation parse(String location) {
        if (location.startsWith("local:")) {
            return new Local(Path.of(location.substring("local:".length())));
        }
        if (location.startsWith("s3:")) {
            return parseS3(location);
        }
        int colon = location.indexOf(':');
        if (colon > 1 && !location.startsWith("/") && location.substring(0, colon).matches("[a-z0-9]+")) {
            throw new StowageException("repository type \"" + location.substring(0, colon)
                    + "\" is not supported by this build; use a local path, local:PATH or s3:...");
        }
        return new Local(Path.of(location));
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
