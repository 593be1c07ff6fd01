package dev.stowage.engine.postgres;

import java.util.HashMap;
import java.util.Map;

/** How to reach a PostgreSQL database; {@code database} may be null for pg_dumpall. */
public record PgConnection(String host, int port, String database, String user, String password) {
    public PgConnection {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("PostgreSQL host is missing");
        }
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("PostgreSQL user is missing");
        }
    }

    public PgConnection withDatabase(String name) {
        return new PgConnection(host, port, name, user, password);
    }

    /** libpq environment for a client process; keeps the password out of the process list. */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGUSER", user);
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        if (database != null) {
            env.put("PGDATABASE", database);
        }
        env.put("PGCONNECT_TIMEOUT", "15");
        env.put("PGAPPNAME", "stowage");
        return env;
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + (database != null ? "/" + database : "");
    }
}
