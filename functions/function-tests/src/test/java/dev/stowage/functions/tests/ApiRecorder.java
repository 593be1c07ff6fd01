package dev.stowage.functions.tests;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One API client per ServiceAccount, each recording the requests it sends, so that a test can
 * check every call a function made against the RBAC the manifests give its account.
 */
final class ApiRecorder implements AutoCloseable {
    /** A request as the API server's authorizer sees it. */
    record Request(String account, String method, String path, String group, String resource, String verb,
                   String namespace) {
        @Override
        public String toString() {
            return account + ": " + method + " " + path + " (" + verb + " " + (group.isEmpty() ? "core" : group) + " "
                    + resource + (namespace != null ? " in " + namespace : "") + ")";
        }
    }

    /** Paths any authenticated account may read (Kubernetes' system:discovery and system:public-info-viewer). */
    static final Set<String> DISCOVERY = Set.of("/api", "/apis", "/version", "/openapi/v2", "/openapi/v3", "/healthz",
            "/livez", "/readyz");

    private final Config base;
    private final List<Request> requests = new ArrayList<>();
    private final List<String> unparsed = new ArrayList<>();
    private final List<KubernetesClient> clients = new ArrayList<>();

    ApiRecorder(Config base) {
        this.base = base;
    }

    /** A client that acts for {@code account} (ServiceAccount in namespace stowage). */
    synchronized KubernetesClient clientFor(String account) {
        Config config = new ConfigBuilder(base).withRequestRetryBackoffLimit(0).build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("rbac-recorder", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        record(account, request.method(), request.uri());
                    }
                })).build();
        clients.add(client);
        return client;
    }

    private synchronized void record(String account, String method, URI uri) {
        String path = uri.getRawPath();
        if (DISCOVERY.contains(path) || path.equals("/api/v1") || path.startsWith("/apis/") && path.split("/").length <= 4) {
            return; // discovery
        }
        parse(account, method, path, uri.getRawQuery()).ifPresentOrElse(requests::add,
                () -> unparsed.add(account + ": " + method + " " + uri));
    }

    static Optional<Request> parse(String account, String method, String path, String query) {
        List<String> parts = new ArrayList<>(Arrays.asList(path.replaceAll("^/+|/+$", "").split("/")));
        String group;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            parts = parts.subList(2, parts.size());
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            parts = parts.subList(3, parts.size());
        } else {
            return Optional.empty();
        }
        String namespace = null;
        if (parts.size() >= 3 && parts.get(0).equals("namespaces")) {
            namespace = parts.get(1);
            parts = parts.subList(2, parts.size());
        }
        if (parts.isEmpty() || parts.size() > 3) {
            return Optional.empty();
        }
        String resource = parts.get(0) + (parts.size() == 3 ? "/" + parts.get(2) : "");
        boolean named = parts.size() >= 2;
        boolean watch = query != null && Arrays.asList(query.split("&")).contains("watch=true");
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase();
        };
        return Optional.of(new Request(account, method, path, group, resource, verb, namespace));
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests that are neither discovery nor resource requests (there should be none). */
    synchronized List<String> unparsed() {
        return List.copyOf(unparsed);
    }

    @Override
    public synchronized void close() {
        clients.forEach(KubernetesClient::close);
    }
}
