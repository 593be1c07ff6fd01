package dev.stowage.engine.postgres;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.restorer.Dumper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams a dump from a snapshot into the database: archives (custom or tar format) through
 * {@code pg_restore}, plain SQL through {@code psql}. The format is read from the dump's first
 * bytes, not from its name, so dumps made by other tools restore too.
 */
public final class PgRestore {
    private static final byte[] CUSTOM_MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);
    private static final String CLUSTER_DUMP = "PostgreSQL database cluster dump";
    /** Enough of the start of a dump to tell its format. */
    private static final int HEADER_BYTES = 512;

    private final Dumper dumper;
    private final PgClients clients;

    public PgRestore(Dumper dumper, PgClients clients) {
        this.dumper = dumper;
        this.clients = clients;
    }

    /**
     * Restores the dump file {@code path} of {@code snapshot}. When {@code createDatabase} is set the
     * connection's database is created first if it does not exist. Fails naming the client program
     * and its error output if the restore does not complete.
     *
     * @return bytes of dump streamed
     */
    public long run(Snapshot snapshot, String path, PgConnection connection, List<String> args, boolean createDatabase)
            throws IOException {
        if (createDatabase) {
            createDatabaseIfMissing(connection);
        }
        try (ClientSink sink = new ClientSink(connection, args, clients)) {
            long bytes = dumper.dump(snapshot, path, sink);
            sink.finish();
            return bytes;
        }
    }

    /** Creates {@code connection.database()} on the server unless it exists. */
    void createDatabaseIfMissing(PgConnection connection) throws IOException {
        String database = connection.database();
        if (database == null || database.isEmpty()) {
            throw new StowageException("no database name to create");
        }
        String quotedLiteral = "'" + database.replace("'", "''") + "'";
        String quotedIdent = "\"" + database.replace("\"", "\"\"") + "\"";
        // \gexec runs CREATE DATABASE only when the SELECT returns a row; it cannot run in a transaction block
        String script = "SELECT 'CREATE DATABASE " + quotedIdent.replace("'", "''") + "' WHERE NOT EXISTS "
                + "(SELECT 1 FROM pg_database WHERE datname = " + quotedLiteral + ") \\gexec\n";
        List<String> command = List.of("psql", "--no-password", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "--dbname=postgres");
        try (ClientProcess psql = ClientProcess.start(clients.resolve(command), connection.withDatabase(null).environment())) {
            try (OutputStream in = psql.process().getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            psql.process().getInputStream().transferTo(OutputStream.nullOutputStream());
            psql.awaitSuccess();
        }
    }

    /** Starts the right client once the first bytes show the dump's format, then feeds it. */
    private static final class ClientSink extends OutputStream {
        private final PgConnection connection;
        private final List<String> args;
        private final PgClients clients;
        private final ByteArrayOutputStream header = new ByteArrayOutputStream();
        private ClientProcess client;
        private OutputStream stdin;
        private Thread stdoutDrainer;

        ClientSink(PgConnection connection, List<String> args, PgClients clients) {
            this.connection = connection;
            this.args = List.copyOf(args);
            this.clients = clients;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (client == null) {
                int take = Math.min(len, HEADER_BYTES - header.size());
                header.write(b, off, take);
                off += take;
                len -= take;
                if (header.size() < HEADER_BYTES) {
                    return;
                }
                startClient();
            }
            if (len > 0) {
                forward(b, off, len);
            }
        }

        void finish() throws IOException {
            if (client == null) {
                if (header.size() == 0) {
                    throw new StowageException("the dump in the snapshot is empty; nothing to restore");
                }
                startClient();
            }
            try {
                stdin.close();
            } catch (IOException e) {
                // the client exited early; its exit status below says why
            }
            try {
                stdoutDrainer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.awaitSuccess();
        }

        private void forward(byte[] b, int off, int len) throws IOException {
            try {
                stdin.write(b, off, len);
            } catch (IOException e) {
                // a broken pipe means the client gave up; report why it did
                client.close();
                try {
                    client.process().waitFor();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException(client.name() + " stopped reading the dump" + client.stderrTail(), e);
            }
        }

        private void startClient() throws IOException {
            byte[] head = header.toByteArray();
            List<String> command = new ArrayList<>();
            if (head.length >= CUSTOM_MAGIC.length && Arrays.equals(head, 0, CUSTOM_MAGIC.length, CUSTOM_MAGIC, 0,
                    CUSTOM_MAGIC.length) || isTar(head)) {
                command.addAll(List.of("pg_restore", "--no-password", "--exit-on-error", "--single-transaction",
                        "--dbname=" + dbName()));
            } else {
                boolean cluster = new String(head, StandardCharsets.UTF_8).contains(CLUSTER_DUMP);
                command.addAll(List.of("psql", "--no-password", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                        "--dbname=" + (cluster ? "postgres" : dbName())));
                if (!cluster) {
                    // all or nothing; a cluster dump creates databases, which cannot run in a transaction
                    command.add("--single-transaction");
                }
            }
            command.addAll(args);
            client = ClientProcess.start(clients.resolve(command), connection.environment());
            stdin = client.process().getOutputStream();
            stdoutDrainer = new Thread(() -> {
                try {
                    client.process().getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "restore-stdout");
            stdoutDrainer.setDaemon(true);
            stdoutDrainer.start();
            forward(head, 0, head.length);
        }

        private String dbName() {
            if (connection.database() == null) {
                throw new StowageException("no target database given for the restore");
            }
            return connection.database();
        }

        private static boolean isTar(byte[] head) {
            // POSIX tar: "ustar" at offset 257
            return head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        }

        @Override
        public void close() {
            if (client != null) {
                client.close();
            }
        }
    }
}
