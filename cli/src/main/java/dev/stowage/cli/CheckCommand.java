package dev.stowage.cli;

import dev.stowage.engine.checker.CheckResult;
import dev.stowage.engine.checker.Checker;
import dev.stowage.engine.checker.Finding;
import dev.stowage.engine.checker.ReadDataSubset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code check}: restic 0.14's repository verification, under an exclusive lock. */
@Command(name = "check", description = {"Check the repository for errors.",
    "Exit status is 0 if no errors were found (warnings and hints do not count), 1 otherwise."})
final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    StowageCommand root;

    @Option(names = "--read-data", description = "read all data blobs")
    boolean readData;

    @Option(names = "--read-data-subset", paramLabel = "subset", description = "read a subset of data packs,"
            + " specified as 'n/t' for specific part, or either 'x%' or 'x.y%' or a size in bytes with suffixes"
            + " k/K, m/M, g/G, t/T for a random subset")
    String readDataSubset;

    @Option(names = "--with-cache", description = "use the cache (accepted for restic compatibility; Stowage has no cache)")
    boolean withCache;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = root.options();
        ReadDataSubset subset = readDataSubset != null ? ReadDataSubset.parse(readDataSubset)
                : readData ? new ReadDataSubset.All() : null;
        CheckResult result;
        try (RepositoryAccess access = RepositoryAccess.open(g, true, true, false)) {
            if (!g.quiet) {
                root.out.println("create exclusive lock for repository");
            }
            result = new Checker(access.repo).check(subset, step -> {
                if (!g.quiet) {
                    root.out.println(step);
                    root.out.flush();
                }
            });
        }
        for (Finding f : result.findings()) {
            if (f.isError()) {
                root.out.flush();
                root.err.println(f);
            } else if (!g.quiet) {
                root.out.println(f);
            }
        }
        root.out.flush();
        if (result.hasErrors()) {
            root.err.println("Fatal: repository contains errors");
            return StowageCommand.EXIT_FATAL;
        }
        if (!g.quiet) {
            root.out.println("no errors were found");
        }
        return 0;
    }
}
