package dev.stowage.engine.fs;

import dev.stowage.engine.StowageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Creates fifos and device nodes, which the JDK cannot, with the coreutils commands. They are
 * made under a plain temporary name and renamed, so any name bytes survive.
 */
public final class SpecialFiles {
    private SpecialFiles() {
    }

    public static void mkfifo(Path target) throws IOException {
        run(target, List.of("mkfifo", "-m", "600"));
    }

    /** A block ({@code block}) or character device with Linux's encoding of {@code rdev}. */
    public static void mknod(Path target, boolean block, long rdev) throws IOException {
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        run(target, List.of("mknod", "-m", "600", "", block ? "b" : "c", Long.toString(major), Long.toString(minor)));
    }

    /**
     * Sets the times of a fifo or device node without opening it (the JDK opens files to set
     * times, which blocks on a fifo and can have side effects on devices).
     */
    public static void setTimes(Path node, java.time.Instant mtime, java.time.Instant atime) throws IOException {
        Path tmp = node.resolveSibling(".stowage-node-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.move(node, tmp);
        try {
            touch(tmp, "-m", mtime);
            touch(tmp, "-a", atime);
        } finally {
            Files.move(tmp, node);
        }
    }

    private static void touch(Path p, String which, java.time.Instant t) throws IOException {
        // "@S.F" is the signed decimal S.F, while an Instant is seconds plus non-negative nanoseconds:
        // before 1970, "-14182940" and 1 ns is -14182939.999999999, not "-14182940.000000001"
        String date = "@" + java.math.BigDecimal.valueOf(t.getEpochSecond())
                .add(java.math.BigDecimal.valueOf(t.getNano(), 9)).toPlainString();
        exec(List.of("touch", "-h", which, "-d", date, p.toString()), p);
    }

    private static void exec(List<String> cmd, Path target) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        try {
            if (p.waitFor() != 0) {
                throw new StowageException("cannot create or change " + target + ": " + cmd.get(0) + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StowageException("interrupted while changing " + target, e);
        }
    }

    private static void run(Path target, List<String> template) throws IOException {
        Path tmp = target.resolveSibling(".stowage-node-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        List<String> cmd = new java.util.ArrayList<>(template);
        int slot = cmd.indexOf("");
        if (slot >= 0) {
            cmd.set(slot, tmp.toString());
        } else {
            cmd.add(tmp.toString());
        }
        exec(cmd, target);
        Files.move(tmp, target);
    }
}
