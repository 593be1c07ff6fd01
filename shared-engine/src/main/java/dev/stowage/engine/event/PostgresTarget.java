package dev.stowage.engine.event;

/** An inline PostgreSQL server and database; the password is a reference, never a value. */
public record PostgresTarget(String host, Integer port, String database, String user, SecretRef password) {
    public PostgresTarget {
        EventData.require(host, "postgres.host");
        EventData.require(user, "postgres.user");
        if (port != null && (port < 1 || port > 65535)) {
            throw new InvalidEventException("field \"postgres.port\" must be between 1 and 65535, not " + port);
        }
    }

    public int portOrDefault() {
        return port != null ? port : 5432;
    }
}
