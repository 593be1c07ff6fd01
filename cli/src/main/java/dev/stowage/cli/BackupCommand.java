package dev.stowage.cli;

import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.archiver.Archiver;
import dev.stowage.engine.archiver.BackupOptions;
import dev.stowage.engine.archiver.BackupProgress;
import dev.stowage.engine.archiver.BackupResult;
import dev.stowage.engine.data.SnapshotSummary;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.json.JsonWriter;
import dev.stowage.engine.repository.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup", description = "Create a new snapshot of files and directories, or of standard input with --stdin.")
final class BackupCommand implements Callable<Integer> {
    @ParentCommand
    StowageCommand root;

    @Parameters(arity = "0..*", paramLabel = "FILE/DIR", description = "files and directories to back up")
    List<Path> targets = new ArrayList<>();

    @Option(names = "--stdin", description = "read the data to back up from standard input")
    boolean stdin;

    @Option(names = "--stdin-filename", defaultValue = "stdin", description = "file name for --stdin data (default: stdin)")
    String stdinFilename;

    @Option(names = {"-H", "--host"}, description = "host name recorded in the snapshot (default: this host)")
    String host;

    @Option(names = "--tag", description = "tag the snapshot (comma-separated, repeatable)")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-e", "--exclude"}, description = "exclude a pattern (repeatable)")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--exclude-file", description = "read exclude patterns from a file (repeatable)")
    List<Path> excludeFiles = new ArrayList<>();

    @Option(names = "--parent", description = "use this snapshot as parent (default: latest with same host and paths)")
    String parent;

    @Option(names = {"-f", "--force"}, description = "read all files, even if a parent snapshot says they are unchanged")
    boolean force;

    @Option(names = "--time", description = "snapshot time, \"YYYY-MM-DD HH:MM:SS\" (default: now)")
    String time;

    @Option(names = "--with-atime", description = "record file access times")
    boolean withAtime;

    @Option(names = "--read-concurrency", defaultValue = "2", description = "files read at the same time (default: 2)")
    int readConcurrency;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = root.options();
        if (readConcurrency < 1) {
            // the engine would refuse it with an IllegalArgumentException, shown as its class name
            throw new StowageException("--read-concurrency must be at least 1");
        }
        if (stdin == !targets.isEmpty()) {
            throw new StowageException(stdin ? "--stdin takes no file arguments" : "nothing to back up: give files or directories, or --stdin");
        }
        List<String> allExcludes = new ArrayList<>(excludes);
        for (Path f : excludeFiles) {
            for (String line : Files.readAllLines(f)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    allExcludes.add(t);
                }
            }
        }
        List<String> allTags = tags.stream().flatMap(t -> Arrays.stream(t.split(","))).map(String::strip)
                .filter(t -> !t.isEmpty()).toList();
        Identity me = Identity.current();
        try (RepositoryAccess access = RepositoryAccess.open(g, true, true)) {
            Id parentId = parent == null ? null
                    : dev.stowage.engine.data.Snapshots.find(access.repo, parent, dev.stowage.engine.data.SnapshotFilter.ALL).id();
            BackupOptions options = new BackupOptions(host != null ? host : me.hostname(), allTags, allExcludes,
                    withAtime, time == null ? null : parseTime(time), parentId, force, readConcurrency);
            boolean showProgress = g.showProgress() && !stdin;
            BackupProgress progress = new BackupProgress(showProgress);
            Archiver archiver = new Archiver(access.repo, options, progress, me);
            long started = System.nanoTime();
            BackupResult result;
            if (stdin) {
                result = archiver.backupStream(root.in, stdinFilename);
            } else {
                try (Progress p = showProgress ? new Progress(root.err, "backup", progress::filesDone,
                        progress::filesTotal, progress::bytesDone, progress::bytesTotal) : null) {
                    result = archiver.backup(targets);
                }
            }
            report(g, result, Duration.ofNanos(System.nanoTime() - started));
            return result.warnings().isEmpty() ? 0 : StowageCommand.EXIT_INCOMPLETE;
        }
    }

    private static java.time.OffsetDateTime parseTime(String s) {
        try {
            return LocalDateTime.parse(s, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                    .atZone(ZoneId.systemDefault()).toOffsetDateTime();
        } catch (java.time.format.DateTimeParseException e) {
            throw new StowageException("invalid --time \"" + s + "\": use \"YYYY-MM-DD HH:MM:SS\"");
        }
    }

    private void report(GlobalOptions g, BackupResult r, Duration took) {
        SnapshotSummary s = r.summary();
        for (String w : r.warnings()) {
            root.err.println("warning: " + w);
        }
        if (g.json) {
            root.out.writeBytes(new JsonWriter().beginObject()
                    .name("message_type").value("summary")
                    .name("files_new").value(s.filesNew())
                    .name("files_changed").value(s.filesChanged())
                    .name("files_unmodified").value(s.filesUnmodified())
                    .name("dirs_new").value(s.dirsNew())
                    .name("dirs_changed").value(s.dirsChanged())
                    .name("dirs_unmodified").value(s.dirsUnmodified())
                    .name("data_blobs").value(s.dataBlobs())
                    .name("tree_blobs").value(s.treeBlobs())
                    .name("data_added").value(s.dataAdded())
                    .name("data_added_packed").value(s.dataAddedPacked())
                    .name("total_files_processed").value(s.totalFilesProcessed())
                    .name("total_bytes_processed").value(s.totalBytesProcessed())
                    .name("total_duration").value(took.toNanos() / 1e9)
                    .name("backup_start").value(GoTime.format(s.backupStart()))
                    .name("backup_end").value(GoTime.format(s.backupEnd()))
                    .name("snapshot_id").value(r.snapshot().id().hex())
                    .endObject().raw((byte) '\n').toByteArray());
            return;
        }
        if (g.quiet) {
            return;
        }
        root.out.printf("Files:       %5d new, %5d changed, %5d unmodified%n", s.filesNew(), s.filesChanged(), s.filesUnmodified());
        root.out.printf("Dirs:        %5d new, %5d changed, %5d unmodified%n", s.dirsNew(), s.dirsChanged(), s.dirsUnmodified());
        root.out.printf("Added to the repository: %s (%s stored)%n%n", Format.bytes(s.dataAdded()), Format.bytes(s.dataAddedPacked()));
        root.out.printf("processed %d files, %s in %s%n", s.totalFilesProcessed(), Format.bytes(s.totalBytesProcessed()), Format.duration(took));
        root.out.println("snapshot " + r.snapshot().id().shortHex() + " saved");
    }
}
