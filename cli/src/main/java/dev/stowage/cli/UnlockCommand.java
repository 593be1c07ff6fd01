package dev.stowage.cli;

import dev.stowage.engine.lock.Locker;
import dev.stowage.engine.lock.StaleLock;
import dev.stowage.engine.repository.Identity;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "unlock", description = "Remove stale locks (those of processes that are gone, or not refreshed for 30 minutes).")
final class UnlockCommand implements Callable<Integer> {
    @ParentCommand
    StowageCommand root;

    @Option(names = "--remove-all", description = "remove all locks, even non-stale ones")
    boolean removeAll;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = root.options();
        // like restic, unlock takes no lock of its own
        try (RepositoryAccess access = RepositoryAccess.open(g, false, false)) {
            List<StaleLock> removed = new Locker(access.repo, Identity.current()).removeStale(removeAll);
            if (!g.quiet) {
                for (StaleLock s : removed) {
                    root.out.println(s.describe());
                }
                root.out.println("successfully removed locks");
            }
        }
        return 0;
    }
}
