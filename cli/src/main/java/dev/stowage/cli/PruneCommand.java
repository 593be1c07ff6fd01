package dev.stowage.cli;

import dev.stowage.engine.prune.Prune;
import dev.stowage.engine.prune.PruneOptions;
import dev.stowage.engine.prune.PruneStats;
import dev.stowage.engine.repository.Repository;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code prune}: restic 0.14's prune under an exclusive lock. */
@Command(name = "prune", description = {"Remove data that is not referenced by any snapshot, repacking partly used packs.",
    "Exit status is 0 if the command was successful, and non-zero if there was any error."})
final class PruneCommand implements Callable<Integer> {
    @ParentCommand
    StowageCommand root;

    @Option(names = {"-n", "--dry-run"}, description = "do not modify the repository, just print what would be done")
    boolean dryRun;

    @Mixin
    PruneFlags flags;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = root.options();
        flags.validate();
        try (RepositoryAccess access = RepositoryAccess.open(g, true, true, false)) {
            run(root.out, g.quiet || g.json, access.repo, flags.options(dryRun, access.repo.config().version()));
        }
        return 0;
    }

    /** Runs prune on an open, exclusively locked repository and prints restic's report. */
    static PruneStats run(PrintStream out, boolean quiet, Repository repo, PruneOptions options) throws Exception {
        return new Prune(repo, line -> {
            if (!quiet) {
                out.println(line);
            }
        }).run(options, planned -> {
            if (!quiet) {
                printStats(out, planned);
                if (options.dryRun()) {
                    out.println("dry run: nothing was changed");
                }
            }
        });
    }

    /** restic 0.14's statistics (its verbose form, which adds the used/unused and pack counts). */
    private static void printStats(PrintStream out, PruneStats s) {
        out.println();
        out.println(line("used:", s.usedBlobs(), s.usedBytes()));
        if (s.duplicateBlobs() > 0) {
            out.println(line("duplicates:", s.duplicateBlobs(), s.duplicateBytes()));
        }
        out.println(line("unused:", s.unusedBlobs(), s.unusedBytes()));
        out.println(line("total:", s.totalBlobs(), s.totalBytes()));
        out.println("unused size: " + percent(s.unusedBytes() + s.duplicateBytes(), s.totalBytes()) + " of total size");
        if (s.unreferencedPacks() > 0) {
            out.println(String.format(Locale.ROOT, "%-14s%10d packs / %s", "unreferenced:", s.unreferencedPacks(),
                    Format.bytes(s.unreferencedBytes())));
        }
        if (s.tempFiles() > 0) {
            out.println(String.format(Locale.ROOT, "%-14s%10d files / %s (left by interrupted writes, unmodified for %d minutes)",
                    "temporary:", s.tempFiles(), Format.bytes(s.tempBytes()), Prune.TEMP_FILE_MIN_AGE.toMinutes()));
        }
        out.println();
        out.println(line("to repack:", s.repackBlobs(), s.repackBytes()));
        out.println(line("this removes:", s.repackRemovedBlobs(), s.repackRemovedBytes()));
        out.println(line("to delete:", s.deleteBlobs(), s.deleteBytes()));
        out.println(line("total prune:", s.pruneBlobs(), s.pruneBytes()));
        out.println(line("remaining:", s.remainingBlobs(), s.remainingBytes()));
        out.println(String.format(Locale.ROOT, "unused size after prune: %s (%s of remaining size)",
                Format.bytes(s.unusedBytesAfter()), percent(s.unusedBytesAfter(), s.remainingBytes())));
        out.println();
        out.println(String.format(Locale.ROOT, "%-19s%10d", "totally used packs:", s.totallyUsedPacks()));
        out.println(String.format(Locale.ROOT, "%-19s%10d", "partly used packs:", s.partlyUsedPacks()));
        out.println(String.format(Locale.ROOT, "%-19s%10d", "unused packs:", s.unusedPacks()));
        out.println();
        out.println(String.format(Locale.ROOT, "%-14s%10d packs", "to keep:", s.keepPacks()));
        out.println(String.format(Locale.ROOT, "%-14s%10d packs", "to repack:", s.repackPacks()));
        out.println(String.format(Locale.ROOT, "%-14s%10d packs", "to delete:", s.deletePacks()));
        out.println();
    }

    private static String line(String label, long blobs, long bytes) {
        return String.format(Locale.ROOT, "%-14s%10d blobs / %s", label, blobs, Format.bytes(bytes));
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.2f%%", whole == 0 ? 0.0 : 100.0 * part / whole);
    }
}
