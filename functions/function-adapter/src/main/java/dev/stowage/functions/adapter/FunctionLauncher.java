package dev.stowage.functions.adapter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code main} of every function: a web server answering {@code POST /} (a Knative Service), or,
 * started by a JobSink ({@code K_EVENT_PATH} set), one event handled without a web server and the
 * process ended with {@link JobSinkEvent}'s exit code.
 */
public final class FunctionLauncher {
    private FunctionLauncher() {
    }

    public static void run(Class<?> application, String[] args) {
        SpringApplication app = new SpringApplication(application);
        boolean job = JobSinkMode.requested(args);
        if (job) {
            // Spring AOT's generated code is that of the web application; the one-shot Job has no
            // web server, so it starts from the regular configuration (set before Spring reads it)
            System.setProperty("spring.aot.enabled", "false");
            app.setWebApplicationType(WebApplicationType.NONE);
        }
        ConfigurableApplicationContext context = app.run(args);
        if (job) {
            System.exit(SpringApplication.exit(context));
        }
    }
}
