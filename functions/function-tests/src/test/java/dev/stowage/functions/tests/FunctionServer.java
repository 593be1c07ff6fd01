package dev.stowage.functions.tests;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** One function application started in this JVM on a random port, as its jar would start it. */
final class FunctionServer implements AutoCloseable {
    private final ConfigurableApplicationContext context;
    private final URI uri;

    private FunctionServer(ConfigurableApplicationContext context) {
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.uri = URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Starts {@code application} with {@code beans} registered in place of the defaults (e.g. a Sessions). */
    static FunctionServer start(Class<?> application, Map<String, Object> beans, String... properties) {
        List<String> props = new ArrayList<>(List.of("server.port=0", "spring.jmx.enabled=false",
                "server.shutdown=immediate"));
        props.addAll(List.of(properties));
        SpringApplicationBuilder builder = new SpringApplicationBuilder(application)
                .properties(props.toArray(String[]::new))
                .initializers(ctx -> beans.forEach(ctx.getBeanFactory()::registerSingleton));
        return new FunctionServer(builder.run());
    }

    URI uri() {
        return uri;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
