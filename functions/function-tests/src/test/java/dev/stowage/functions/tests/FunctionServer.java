package dev.stowage.functions.tests;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

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
        return start(application, beans, Map.of(), properties);
    }

    /**
     * Starts {@code application} as its container would: {@code env} are the container's environment
     * variables (read with Spring's relaxed binding, as the real environment is).
     */
    static FunctionServer start(Class<?> application, Map<String, Object> beans, Map<String, String> env,
                                String... properties) {
        List<String> props = new ArrayList<>(List.of("server.port=0", "spring.jmx.enabled=false",
                "server.shutdown=immediate"));
        props.addAll(List.of(properties));
        return new FunctionServer(builder(application, beans, env).properties(props.toArray(String[]::new)).run());
    }

    /**
     * Runs {@code application} as a JobSink Job runs it: no web server, the event in
     * {@code env}'s {@code K_EVENT_PATH}; the process's exit code.
     */
    static int runJob(Class<?> application, Map<String, Object> beans, Map<String, String> env) {
        ConfigurableApplicationContext context = builder(application, beans, env).web(WebApplicationType.NONE)
                .properties("spring.jmx.enabled=false").run();
        return SpringApplication.exit(context);
    }

    private static SpringApplicationBuilder builder(Class<?> application, Map<String, Object> beans,
                                                    Map<String, String> env) {
        return new SpringApplicationBuilder(application)
                .initializers(ctx -> {
                    beans.forEach(ctx.getBeanFactory()::registerSingleton);
                    // named like the system environment so that Spring maps STOWAGE_X_Y to stowage.x.y
                    ctx.getEnvironment().getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                            "container-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            new java.util.HashMap<String, Object>(env)));
                });
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
