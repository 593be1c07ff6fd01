package dev.stowage.engine.repository;

import dev.stowage.engine.json.GoTime;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Who and where: the user and host recorded in key files, locks and snapshots. */
public record Identity(String username, String hostname, long pid) {
    /** The current process's user, host name and PID. */
    public static Identity current() {
        return new Identity(System.getProperty("user.name", ""), localHostname(), ProcessHandle.current().pid());
    }

    /** The current time as restic writes it (RFC3339Nano at the local offset). */
    public String now() {
        return GoTime.format(GoTime.local(Instant.now()));
    }

    private static String localHostname() {
        // the kernel's host name, as Go's os.Hostname reads it, without a DNS lookup
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException e) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
