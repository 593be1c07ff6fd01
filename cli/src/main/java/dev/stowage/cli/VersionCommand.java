package dev.stowage.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "version", description = "Print version information.")
final class VersionCommand implements Runnable {
    @ParentCommand
    StowageCommand root;

    @Override
    public void run() {
        // same shape as "restic 0.14.0 compiled with go1.19.8 on linux/amd64"
        root.out.println(StowageCommand.VERSION + " running on Java " + System.getProperty("java.version")
                + " on " + System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT) + "/" + System.getProperty("os.arch"));
    }
}
