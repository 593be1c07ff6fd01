package dev.stowage.cli;

import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.filter.PathFilter;
import dev.stowage.engine.json.JsonWriter;
import dev.stowage.engine.restorer.RestoreOptions;
import dev.stowage.engine.restorer.RestoreProgress;
import dev.stowage.engine.restorer.RestoreResult;
import dev.stowage.engine.restorer.Restorer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "restore", description = "Restore a snapshot into an empty or new directory.")
final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    StowageCommand root;

    @Mixin
    FilterOptions filterOptions;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "snapshot ID (prefix) or 'latest'")
    String snapshotId;

    @Option(names = {"-t", "--target"}, required = true, description = "directory to restore into (must be empty or absent)")
    Path target;

    @Option(names = {"-i", "--include"}, description = "restore only paths matching this pattern (repeatable)")
    List<String> includes = new ArrayList<>();

    @Option(names = {"-e", "--exclude"}, description = "do not restore paths matching this pattern (repeatable)")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--no-direct-io", description = "write every file through the page cache (by default files of "
            + "8 MiB and more are written with direct I/O where the file system allows it)")
    boolean noDirectIo;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = root.options();
        try (RepositoryAccess access = RepositoryAccess.open(g, true, true)) {
            Snapshot s = Snapshots.find(access.repo, snapshotId, filterOptions.filter());
            if (!g.quiet && !g.json) {
                root.out.println("restoring <Snapshot " + s.id().shortHex() + " of " + s.paths() + " at " + s.time()
                        + " by " + s.username() + "@" + s.hostname() + "> to " + target);
                root.out.flush();
            }
            RestoreProgress progress = new RestoreProgress();
            RestoreOptions options = RestoreOptions.defaults().withFilter(PathFilter.of(includes, excludes));
            if (noDirectIo) {
                options = options.withDirectIoMinSize(Long.MAX_VALUE);
            }
            Restorer restorer = new Restorer(access.repo, options, progress);
            long started = System.nanoTime();
            RestoreResult result;
            try (Progress p = g.showProgress() ? new Progress(root.err, "restore", progress::filesDone,
                    progress::filesTotal, progress::bytesDone, progress::bytesTotal) : null) {
                result = restorer.restore(s, target);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            for (String w : result.warnings()) {
                root.err.println("warning: " + w);
            }
            if (g.json) {
                root.out.writeBytes(new JsonWriter().beginObject().name("message_type").value("summary")
                        .name("seconds_elapsed").value(took.toSeconds())
                        .name("total_files").value(result.files()).name("files_restored").value(result.files())
                        .name("total_bytes").value(result.bytes()).name("bytes_restored").value(result.bytes())
                        .endObject().raw((byte) '\n').toByteArray());
            } else if (!g.quiet) {
                root.out.println("restored " + result.files() + " files and " + result.directories() + " directories, "
                        + Format.bytes(result.bytes()) + (result.directBytes() > 0
                        ? " (" + Format.bytes(result.directBytes()) + " with direct I/O)" : "")
                        + " in " + Format.duration(took));
            }
        }
        return 0;
    }
}
