package dev.stowage.engine.data;

import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.repository.Repository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Loading, saving and selecting snapshots. */
public final class Snapshots {
    private Snapshots() {
    }

    /** Every snapshot, oldest first (ties by ID for a stable order). */
    public static List<Snapshot> loadAll(Repository repo) throws IOException {
        List<Snapshot> all = new ArrayList<>(repo.loadAll(FileType.SNAPSHOT, Snapshot::parse));
        all.sort(Comparator.comparing(Snapshot::time).thenComparing(Snapshot::id));
        return all;
    }

    public static Snapshot save(Repository repo, Snapshot s) throws IOException {
        return s.withId(repo.saveUnpacked(FileType.SNAPSHOT, s.toJson()));
    }

    /**
     * Resolves {@code latest} (the newest snapshot the filter matches) or a unique ID prefix.
     *
     * @throws SnapshotNotFoundException if nothing matches
     */
    public static Snapshot find(Repository repo, String idOrLatest, SnapshotFilter filter) throws IOException {
        if (idOrLatest.equals("latest")) {
            return latest(loadAll(repo), filter).orElseThrow(() -> new SnapshotNotFoundException(
                    "no snapshot found" + (filter.equals(SnapshotFilter.ALL) ? "" : " matching the host/tag/path filter")));
        }
        Id id = resolvePrefix(repo, idOrLatest);
        return Snapshot.parse(id, repo.loadUnpacked(FileType.SNAPSHOT, id));
    }

    /** The newest of {@code snapshots} the filter matches. */
    public static Optional<Snapshot> latest(List<Snapshot> snapshots, SnapshotFilter filter) {
        return snapshots.stream().filter(filter::matches)
                .max(Comparator.comparing(Snapshot::time).thenComparing(Snapshot::id));
    }

    private static Id resolvePrefix(Repository repo, String prefix) throws IOException {
        String p = prefix.toLowerCase(java.util.Locale.ROOT);
        if (p.isEmpty() || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new SnapshotNotFoundException("invalid snapshot ID \"" + prefix + "\": use hex digits or 'latest'");
        }
        List<Id> matches = repo.listIds(FileType.SNAPSHOT).stream().filter(id -> id.hex().startsWith(p)).toList();
        if (matches.isEmpty()) {
            throw new SnapshotNotFoundException("no snapshot with ID " + prefix + " in the repository");
        }
        if (matches.size() > 1) {
            throw new StowageException("snapshot ID prefix " + prefix + " is ambiguous: it matches "
                    + matches.size() + " snapshots; give more digits");
        }
        return matches.get(0);
    }
}
