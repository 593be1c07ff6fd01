package dev.stowage.engine.postgres;

import dev.stowage.engine.archiver.Archiver;
import dev.stowage.engine.archiver.BackupResult;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Streams a dump into a stream snapshot without a temporary file.
 *
 * <p>The snapshot is written only after the dump program has exited with status 0: a dump that
 * fails, is killed, or is cut short makes the stream fail at its end, and the archiver then writes
 * no snapshot (the data already uploaded becomes unreferenced and goes at the next prune).
 */
public final class PgBackup {
    private final Archiver archiver;
    private final PgClients clients;

    public PgBackup(Archiver archiver, PgClients clients) {
        this.archiver = archiver;
        this.clients = clients;
    }

    /** Runs the dump against {@code connection} and returns the snapshot made of its output. */
    public BackupResult run(PgConnection connection, DumpCommand command) throws IOException {
        List<String> commandLine = clients.resolve(command.commandLine(connection));
        try (ClientProcess dump = ClientProcess.start(commandLine, connection.environment())) {
            dump.process().getOutputStream().close();
            String trailer = command.fileName().endsWith(".sql") ? command.completionTrailer() : null;
            try (InputStream out = new ExitCheckedStream(dump.process().getInputStream(), dump, trailer)) {
                return archiver.backupStream(out, command.fileName());
            }
        }
    }

    /**
     * Reports the end of the stream only once the process has exited successfully and, for plain
     * SQL, the dump ends with pg_dump's completion comment (a dump cut short lacks it).
     */
    private static final class ExitCheckedStream extends FilterInputStream {
        private static final int TAIL = 256;

        private final ClientProcess process;
        private final String trailer;
        private final byte[] tail = new byte[TAIL];
        private long total;
        private boolean checked;

        ExitCheckedStream(InputStream in, ClientProcess process, String trailer) {
            super(in);
            this.process = process;
            this.trailer = trailer;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n < 0) {
                checkEnd();
            } else {
                remember(buf, off, n);
            }
            return n;
        }

        private void remember(byte[] buf, int off, int n) {
            for (int i = Math.max(0, n - TAIL); i < n; i++) {
                tail[(int) (total + i) % TAIL] = buf[off + i];
            }
            total += n;
        }

        private void checkEnd() throws IOException {
            if (checked) {
                return;
            }
            process.awaitSuccess();
            if (trailer != null) {
                int size = (int) Math.min(total, TAIL);
                byte[] last = new byte[size];
                for (int i = 0; i < size; i++) {
                    last[i] = tail[(int) ((total - size + i) % TAIL)];
                }
                if (!new String(last, StandardCharsets.UTF_8).contains(trailer)) {
                    throw new IOException(process.name() + " exited successfully but its output ends without \""
                            + trailer + "\" after " + total + " bytes: the dump is incomplete");
                }
            }
            checked = true;
        }
    }
}
