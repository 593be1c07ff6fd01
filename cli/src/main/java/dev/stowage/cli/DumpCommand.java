package dev.stowage.cli;

import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.restorer.Dumper;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "dump", description = "Write the content of one file of a snapshot to standard output.")
final class DumpCommand implements Callable<Integer> {
    @ParentCommand
    StowageCommand root;

    @Mixin
    FilterOptions filterOptions;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "snapshot ID (prefix) or 'latest'")
    String snapshotId;

    @Parameters(index = "1", paramLabel = "PATH", description = "path of the file in the snapshot, e.g. /db.sql")
    String path;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = root.options();
        try (RepositoryAccess access = RepositoryAccess.open(g, true, true)) {
            Snapshot s = Snapshots.find(access.repo, snapshotId, filterOptions.filter());
            new Dumper(access.repo).dump(s, path, root.rawOut);
        }
        return 0;
    }
}
