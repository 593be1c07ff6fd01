package dev.stowage.engine.postgres;

import dev.stowage.engine.StowageException;
import java.util.ArrayList;
import java.util.List;

/**
 * The dump program and its extra arguments, as Stash's PostgreSQL task params give them
 * ({@code backupCMD}, {@code args}).
 *
 * @param program {@code pg_dump} or {@code pg_dumpall}
 * @param args    extra arguments; none may redirect the output away from stdout
 */
public record DumpCommand(String program, List<String> args) {
    public static final String PG_DUMP = "pg_dump";
    public static final String PG_DUMPALL = "pg_dumpall";

    public DumpCommand {
        if (!PG_DUMP.equals(program) && !PG_DUMPALL.equals(program)) {
            throw new StowageException("backupCMD must be pg_dump or pg_dumpall, not \"" + program + "\"");
        }
        args = List.copyOf(args);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-f") || a.startsWith("--file") || (a.startsWith("-f") && !a.startsWith("--"))) {
                throw new StowageException("dump argument \"" + a + "\" is not allowed: the dump is streamed from stdout");
            }
            String format = formatOf(args, i);
            if (format != null && (format.startsWith("d"))) {
                throw new StowageException("directory-format dumps cannot be streamed; use plain, custom or tar format");
            }
        }
    }

    /** Parses {@code backupCMD} (null: pg_dump) and an {@code args} string split like a shell would. */
    public static DumpCommand of(String backupCmd, String args) {
        return new DumpCommand(backupCmd == null || backupCmd.isBlank() ? PG_DUMP : backupCmd.strip(),
                ShellArgs.split(args == null ? "" : args));
    }

    /** File name of the stream snapshot: {@code dumpfile.sql} for plain SQL, {@code dumpfile.dump} for archives. */
    public String fileName() {
        for (int i = 0; i < args.size(); i++) {
            String format = formatOf(args, i);
            if (format != null && !format.startsWith("p")) {
                return "dumpfile.dump";
            }
        }
        return "dumpfile.sql";
    }

    /** The comment pg_dump or pg_dumpall writes last in a complete plain-SQL dump. */
    String completionTrailer() {
        return PG_DUMPALL.equals(program) ? "PostgreSQL database cluster dump complete"
                : "PostgreSQL database dump complete";
    }

    List<String> commandLine(PgConnection connection) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.add("--no-password");
        if (PG_DUMP.equals(program) && connection.database() != null) {
            command.add("--dbname=" + connection.database());
        }
        command.addAll(args);
        return command;
    }

    private static String formatOf(List<String> args, int i) {
        String a = args.get(i);
        if (a.equals("-F") || a.equals("--format")) {
            return i + 1 < args.size() ? args.get(i + 1).toLowerCase() : null;
        }
        if (a.startsWith("--format=")) {
            return a.substring("--format=".length()).toLowerCase();
        }
        if (a.startsWith("-F") && a.length() > 2) {
            return a.substring(2).toLowerCase();
        }
        return null;
    }
}
