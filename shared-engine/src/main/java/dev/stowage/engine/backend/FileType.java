package dev.stowage.engine.backend;

/** The kinds of files in a repository, with restic's directory for each. */
public enum FileType {
    CONFIG("config"),
    KEY("keys"),
    SNAPSHOT("snapshots"),
    INDEX("index"),
    LOCK("locks"),
    PACK("data");

    private final String directory;

    FileType(String directory) {
        this.directory = directory;
    }

    /** The directory (or, for {@link #CONFIG}, the file) name in restic's default layout. */
    public String directory() {
        return directory;
    }
}
