package dev.stowage.engine.event;

/** A BackupSession or RestoreSession by namespace and name. */
public record SessionRef(String namespace, String name) {
    public SessionRef {
        EventData.require(namespace, "session.namespace");
        EventData.require(name, "session.name");
    }

    /** Parses the {@code namespace/name} form of the {@link EventTypes#SESSION} attribute. */
    public static SessionRef parse(String value) {
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1 || value.indexOf('/', slash + 1) >= 0) {
            throw new InvalidEventException("session reference \"" + value + "\" is not namespace/name");
        }
        return new SessionRef(value.substring(0, slash), value.substring(slash + 1));
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
