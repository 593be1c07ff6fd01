package dev.stowage.functions.adapter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets only the reply's own {@code ce-*} headers into a response. Spring Cloud Function copies
 * request headers into responses; a copied CloudEvent attribute or extension (an ApiServerSource's
 * {@code ce-kind}, a sender's own) would become part of the reply, or turn a "no reply" answer into
 * an event that loops through the Broker (knative-notes §0).
 */
public final class CloudEventHeaderFilter extends OncePerRequestFilter {
    /** Request attribute: lowercase names of the {@code ce-*} headers the reply sets. */
    static final String REPLY_HEADERS = CloudEventHeaderFilter.class.getName() + ".replyHeaders";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setHeader(String name, String value) {
                if (allowed(request, name)) {
                    super.setHeader(name, value);
                }
            }

            @Override
            public void addHeader(String name, String value) {
                if (allowed(request, name)) {
                    super.addHeader(name, value);
                }
            }
        });
    }

    private static boolean allowed(HttpServletRequest request, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("ce-")) {
            return true;
        }
        return request.getAttribute(REPLY_HEADERS) instanceof Set<?> reply && reply.contains(lower);
    }
}
