package dev.stowage.engine.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.Dialects;
import dev.stowage.engine.handler.InlinePlans;
import dev.stowage.engine.handler.PgBackupHandler;
import dev.stowage.engine.handler.PgRestoreHandler;
import dev.stowage.engine.handler.Repositories;
import dev.stowage.engine.handler.SecretStore;
import dev.stowage.engine.handler.Secrets;
import dev.stowage.engine.handler.Sessions;
import dev.stowage.engine.postgres.PgClients;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.RepositoryCache;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the CloudEvents contract in one piece: the event records and their decoder, the JSON
 * Schemas in {@code docs/schemas/}, and the examples in {@code docs/events.md} must agree.
 *
 * <p>Agreement is checked in both directions: what the records write and what the handlers reply
 * validates against the schemas; documents the decoder rejects, the schemas reject too, and (for
 * systematic mutations of complete requests) the decoder and the schemas accept exactly the same
 * ones, apart from the decoder's documented leniencies (explicit nulls, scalar coercion).
 */
class EventSchemasTest {
    private static final List<String> SCHEMAS = List.of("backup-requested.json", "restore-requested.json",
            "session-report.json", "ping.json");
    private static final Map<String, Class<?>> DECODED_AS = Map.of("backup-requested.json", BackupRequest.class,
            "restore-requested.json", RestoreRequest.class, "session-report.json", SessionReport.class);
    private static final Map<String, Set<String>> TYPES_OF = Map.of(
            "backup-requested.json", Set.of(EventTypes.BACKUP_REQUESTED),
            "restore-requested.json", Set.of(EventTypes.RESTORE_REQUESTED),
            "session-report.json", Set.of(EventTypes.BACKUP_COMPLETED, EventTypes.BACKUP_FAILED,
                    EventTypes.RESTORE_COMPLETED, EventTypes.RESTORE_FAILED),
            "ping.json", Set.of(EventTypes.PING));
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static Path docs;
    private static final Map<String, JsonNode> schemaNodes = new LinkedHashMap<>();
    private static final Map<String, Schema> schemas = new LinkedHashMap<>();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void loadSchemas() throws IOException {
        String configured = System.getProperty("stowage.docs");
        docs = configured != null ? Path.of(configured) : Path.of("..", "docs");
        assertTrue(Files.isDirectory(docs.resolve("schemas")), "no schemas under " + docs.toAbsolutePath());
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        for (String name : SCHEMAS) {
            JsonNode node = EventData.MAPPER.readTree(docs.resolve("schemas").resolve(name).toFile());
            schemaNodes.put(name, node);
            schemas.put(name, registry.getSchema(node));
        }
    }

    // ---------------------------------------------------------------- the schemas themselves

    @Test
    void schemasAreDraft202012AndValidAgainstItsMetaSchema() {
        Schema meta = SchemaRegistry.withDialect(Dialects.getDraft202012())
                .getSchema(SchemaLocation.of(Dialects.getDraft202012().getId()));
        for (String name : SCHEMAS) {
            JsonNode node = schemaNodes.get(name);
            assertEquals("https://json-schema.org/draft/2020-12/schema", node.path("$schema").asText(), name);
            assertEquals("https://stowage.dev/schemas/events/" + name, node.path("$id").asText(), name);
            assertEquals(List.of(), messages(meta.validate(node)), name + " against the 2020-12 meta-schema");
        }
    }

    /** Field names are the record components, exactly, and every record object is closed. */
    @Test
    void schemaPropertiesAreTheRecordComponents() {
        Map<Class<?>, List<String>> where = new LinkedHashMap<>();
        where.put(BackupRequest.class, List.of("backup-requested.json#"));
        where.put(RestoreRequest.class, List.of("restore-requested.json#"));
        where.put(SessionReport.class, List.of("session-report.json#"));
        where.put(SessionRef.class, List.of("backup-requested.json#/$defs/sessionRef",
                "restore-requested.json#/$defs/sessionRef", "session-report.json#/$defs/sessionRef"));
        where.put(RepositoryAddress.class, List.of("backup-requested.json#/$defs/repositoryAddress",
                "restore-requested.json#/$defs/repositoryAddress"));
        where.put(PostgresTarget.class, List.of("backup-requested.json#/$defs/postgresTarget",
                "restore-requested.json#/$defs/postgresTarget"));
        where.put(SecretRef.class, List.of("backup-requested.json#/$defs/secretRef",
                "restore-requested.json#/$defs/secretRef"));
        where.put(SecretKeyRef.class, List.of("backup-requested.json#/$defs/secretKeyRef",
                "restore-requested.json#/$defs/secretKeyRef"));
        where.put(HostStats.class, List.of("session-report.json#/$defs/hostStats"));
        where.put(SnapshotReport.class, List.of("session-report.json#/$defs/snapshotReport"));
        where.put(FileStats.class, List.of("session-report.json#/$defs/fileStats"));
        for (Map.Entry<Class<?>, List<String>> e : where.entrySet()) {
            Set<String> components = Arrays.stream(e.getKey().getRecordComponents()).map(RecordComponent::getName)
                    .collect(Collectors.toCollection(TreeSet::new));
            for (String ref : e.getValue()) {
                JsonNode def = resolve(ref);
                assertEquals(components, fieldNames(def.path("properties")), ref + " vs " + e.getKey().getSimpleName());
                assertFalse(def.path("additionalProperties").asBoolean(true),
                        ref + " must set additionalProperties:false (the decoder fails on unknown properties)");
            }
        }
    }

    /** The request schemas are self-contained, so their shared definitions are copies: the copies must not drift. */
    @Test
    void sharedDefinitionsAreIdenticalCopies() {
        assertEquals(schemaNodes.get("backup-requested.json").get("$defs"),
                schemaNodes.get("restore-requested.json").get("$defs"));
        JsonNode defs = schemaNodes.get("backup-requested.json").get("$defs");
        assertEquals(defs.get("sessionRef"), resolve("session-report.json#/$defs/sessionRef"));
        assertEquals(defs.get("nonBlank"), resolve("session-report.json#/$defs/nonBlank"));
        assertEquals(defs.get("nonBlank"), resolve("ping.json#/$defs/nonBlank"));
    }

    // ---------------------------------------------------------------- what the code produces

    @Test
    void dataWrittenByTheRecordsValidatesAndReadsBack() {
        SecretRef repoPassword = new SecretRef(new SecretKeyRef("demo", "repo-creds", "RESTIC_PASSWORD"), null, null);
        RepositoryAddress s3 = new RepositoryAddress("s3:https://minio.demo.svc:9000/backups/shop", repoPassword,
                Map.of("AWS_ACCESS_KEY_ID", new SecretRef(new SecretKeyRef(null, "s3-creds", "id"), null, null),
                        "AWS_SECRET_ACCESS_KEY", SecretRef.ofFile("/var/run/secrets/s3/secret")));
        PostgresTarget full = new PostgresTarget("shop-db.demo.svc", 5432, "shop", "postgres", SecretRef.ofEnv("PGPASSWORD"));
        PostgresTarget minimal = new PostgresTarget("127.0.0.1", null, null, "postgres", null);
        RepositoryAddress local = new RepositoryAddress("/srv/repo", SecretRef.ofFile("/etc/stowage/repo-password"), null);
        SessionRef session = new SessionRef("demo", "shop-nightly-1795219200");

        assertValidRoundTrip("backup-requested.json", BackupRequest.class, EventTypes.BACKUP_REQUESTED,
                new BackupRequest(null, s3, full, "shop-db", List.of("nightly", "k8s"),
                        Map.of("backupCMD", "pg_dump", "args", "--format=custom --compress=0")));
        assertValidRoundTrip("backup-requested.json", BackupRequest.class, EventTypes.BACKUP_REQUESTED,
                new BackupRequest(null, local, minimal, null, null, null));
        assertValidRoundTrip("backup-requested.json", BackupRequest.class, EventTypes.BACKUP_REQUESTED,
                new BackupRequest(session, null, null, null, null, null));
        assertValidRoundTrip("restore-requested.json", RestoreRequest.class, EventTypes.RESTORE_REQUESTED,
                new RestoreRequest(null, s3, full, "29f840ab", "shop-db",
                        Map.of("targetDatabase", "shop_copy", "args", "--no-owner")));
        assertValidRoundTrip("restore-requested.json", RestoreRequest.class, EventTypes.RESTORE_REQUESTED,
                new RestoreRequest(null, local, minimal, null, null, null));
        assertValidRoundTrip("restore-requested.json", RestoreRequest.class, EventTypes.RESTORE_REQUESTED,
                new RestoreRequest(new SessionRef("demo", "shop-restore"), null, null, null, null, null));

        SnapshotReport snapshot = new SnapshotReport("f31af9a8",
                "f31af9a80cbb25f3a32916be1d4b1a58f3cfe6a38e4d12bedb6aff8e7db7c363", "/dumpfile.sql", "13.707 KiB",
                "13.992 KiB", "1m2.5s", new FileStats(1, 1, 0, 0));
        SnapshotReport noSummary = new SnapshotReport("29f840ab",
                "29f840ab92995c98ba5f8bdaa4fe8ca514cc13e7e3c032454969ec63f2212c56", "/dumpfile.dump", null, null, null,
                null);
        assertValidRoundTrip("session-report.json", SessionReport.class, EventTypes.BACKUP_COMPLETED,
                new SessionReport(session, "pg-backup", "s3:https://minio.demo.svc:9000/backups/shop",
                        "/stowage/scheduler#8d2f", new HostStats("host-0", HostStats.SUCCEEDED, "2.359s", null,
                        List.of(snapshot))));
        assertValidRoundTrip("session-report.json", SessionReport.class, EventTypes.RESTORE_COMPLETED,
                new SessionReport(null, "pg-restore", "/srv/repo", "/local/curl#restore-1",
                        new HostStats("host-0", HostStats.SUCCEEDED, "350ms", null, List.of(noSummary))));
        // a session that failed before its repository was known: no repository, no hostname
        assertValidRoundTrip("session-report.json", SessionReport.class, EventTypes.BACKUP_FAILED,
                new SessionReport(session, "pg-backup", null, "/stowage/scheduler#8d2f",
                        new HostStats(null, HostStats.FAILED, "0s", "secret demo/repo-creds has no key RESTIC_PASSWORD",
                                null)));
    }

    /** Replies made by the real handlers (with stand-ins for pg_dump and psql) validate. */
    @Test
    void handlerRepliesValidate() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        script(bin.resolve("pg_dump"), "printf -- '-- stand-in dump\\nSELECT 1;\\n-- PostgreSQL database dump complete\\n'");
        script(bin.resolve("psql"), "cat > /dev/null");
        Path passwordFile = Files.writeString(tmp.resolve("repo-password"), "schema test password\n");
        Path repo = tmp.resolve("repo");
        Identity identity = new Identity("tester", "schema-test", 1);
        Secrets secrets = new Secrets(SecretStore.none(), Map.of());
        Repositories repositories = new Repositories(RepositoryCache.defaults(), identity);
        PgBackupHandler backup = new PgBackupHandler(Sessions.none(), new InlinePlans(secrets), repositories,
                new PgClients(bin), identity, "/stowage/pg-backup", Clock.systemUTC());
        PgRestoreHandler restore = new PgRestoreHandler(Sessions.none(), new InlinePlans(secrets), repositories,
                new PgClients(bin), "/stowage/restore", Clock.systemUTC());
        RepositoryAddress address = new RepositoryAddress(repo.toString(), SecretRef.ofFile(passwordFile.toString()), null);
        PostgresTarget db = new PostgresTarget("127.0.0.1", 5432, "shop", "postgres", null);

        CloudEvent completed = backup.handle(Events.create(EventTypes.BACKUP_REQUESTED, "/test", null,
                Map.of(EventTypes.TASK, "nightly-pg"),
                new BackupRequest(null, address, db, null, List.of("manual"), Map.of()))).orElseThrow();
        assertReply(completed, EventTypes.BACKUP_COMPLETED, "/stowage/pg-backup", "nightly-pg");
        JsonNode report = EventData.MAPPER.readTree(completed.data());
        assertEquals(InlinePlans.DEFAULT_HOST, report.at("/stats/hostname").asText());
        assertEquals("/dumpfile.sql", report.at("/stats/snapshots/0/path").asText());

        CloudEvent failed = backup.handle(Events.create(EventTypes.BACKUP_REQUESTED, "/test", null, Map.of(),
                new BackupRequest(null, new RepositoryAddress(repo.toString(), SecretRef.ofEnv("NOT_SET_ANYWHERE"), null),
                        db, null, null, null))).orElseThrow();
        assertReply(failed, EventTypes.BACKUP_FAILED, "/stowage/pg-backup", PgBackupHandler.TASK);
        assertTrue(EventData.MAPPER.readTree(failed.data()).at("/stats/error").asText().contains("NOT_SET_ANYWHERE"));

        CloudEvent restored = restore.handle(Events.create(EventTypes.RESTORE_REQUESTED, "/test", null, Map.of(),
                new RestoreRequest(null, address, db, "latest", null, null))).orElseThrow();
        assertReply(restored, EventTypes.RESTORE_COMPLETED, "/stowage/restore", PgRestoreHandler.TASK);
        assertEquals(report.at("/stats/snapshots/0/id"),
                EventData.MAPPER.readTree(restored.data()).at("/stats/snapshots/0/id"));

        CloudEvent notFound = restore.handle(Events.create(EventTypes.RESTORE_REQUESTED, "/test", null, Map.of(),
                new RestoreRequest(null, address, db, "deadbeef", null, null))).orElseThrow();
        assertReply(notFound, EventTypes.RESTORE_FAILED, "/stowage/restore", PgRestoreHandler.TASK);
    }

    // ---------------------------------------------------------------- decoder and schemas agree

    @Test
    void documentsTheDecoderRejectsTheSchemasRejectWithTheFieldNamed() {
        String repo = "\"repository\": {\"url\": \"/srv/repo\", \"password\": {\"env\": \"REPO_PASSWORD\"}}";
        String pg = "\"postgres\": {\"host\": \"127.0.0.1\", \"user\": \"postgres\"}";
        Map<String, String> backup = new LinkedHashMap<>();
        backup.put("{\"repository\": {\"password\": {\"env\": \"X\"}}, " + pg + "}", "repository.url");
        backup.put("{\"repository\": {\"url\": \"  \", \"password\": {\"env\": \"X\"}}, " + pg + "}", "repository.url");
        backup.put("{\"repository\": {\"url\": \"/srv/repo\"}, " + pg + "}", "repository.password");
        backup.put("{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\", \"databse\": \"shop\"}}",
                "postgres.databse");
        backup.put("{" + repo + ", " + pg + ", \"tag\": [\"x\"]}", "tag");
        backup.put("{\"repository\": {\"url\": \"/srv/repo\", \"password\": {\"env\": \"X\", \"file\": \"/pw\"}}, "
                + pg + "}", "exactly one");
        backup.put("{\"repository\": {\"url\": \"/srv/repo\", \"password\": {}}, " + pg + "}", "exactly one");
        backup.put("{\"repository\": {\"url\": \"/srv/repo\", \"password\": {\"secret\": {\"name\": \"s\"}}}, "
                + pg + "}", "secret.key");
        backup.put("{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\", \"password\": \"hunter2\"}}",
                "postgres.password");
        backup.put("{\"repository\": {\"url\": \"/srv/repo\", \"password\": {\"env\": \"X\"}, \"env\": "
                + "{\"AWS_SECRET_ACCESS_KEY\": \"plaintext\"}}, " + pg + "}", "AWS_SECRET_ACCESS_KEY");
        backup.put("{\"session\": {\"namespace\": \"demo\", \"name\": \"s1\"}, " + repo + ", " + pg + "}", "not both");
        backup.put("{\"session\": {\"namespace\": \"demo\", \"name\": \"s1\"}, " + pg + "}", "not both");
        backup.put("{\"session\": {\"namespace\": \"demo\"}}", "session.name");
        backup.put("{\"session\": {\"namespace\": \"demo\", \"name\": \"\"}}", "session.name");
        backup.put("{}", "repository");
        backup.put("{" + repo + "}", "postgres");
        backup.put("{" + pg + "}", "repository");
        backup.put("{" + repo + ", \"postgres\": {\"host\": \"h\"}}", "postgres.user");
        backup.put("{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\", \"port\": 0}}", "postgres.port");
        backup.put("{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\", \"port\": 65536}}", "postgres.port");
        backup.put("{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\", \"port\": \"abc\"}}", "postgres.port");
        backup.put("{" + repo + ", " + pg + ", \"tags\": \"nightly\"}", "tags");
        backup.put("{" + repo + ", " + pg + ", \"tags\": [\"a\", null]}", "");
        backup.put("{" + repo + ", " + pg + ", \"params\": {\"args\": [\"-Fc\"]}}", "params.args");
        backup.put("[]", "");
        Map<String, String> restore = new LinkedHashMap<>();
        restore.put("{" + repo + ", " + pg + ", \"snapshots\": \"latest\"}", "snapshots");
        restore.put("{" + repo + ", " + pg + ", \"host\": \"h\"}", "host");
        restore.put("{\"session\": {\"namespace\": \"demo\", \"name\": \"r1\"}, " + repo + "}", "not both");
        restore.put("{" + repo + ", \"postgres\": {\"user\": \"postgres\"}}", "postgres.host");
        restore.put("{\"repository\": {\"url\": \"/srv/repo\", \"password\": {\"file\": \"/a\", \"env\": \"B\"}}, "
                + pg + "}", "exactly one");

        List<String> disagreements = new ArrayList<>();
        checkRejected("backup-requested.json", backup, disagreements);
        checkRejected("restore-requested.json", restore, disagreements);
        assertEquals(List.of(), disagreements);
    }

    @Test
    void documentsTheDecoderAcceptsTheSchemasAccept() {
        String repo = "\"repository\": {\"url\": \"/srv/repo\", \"password\": {\"env\": \"REPO_PASSWORD\"}}";
        List<String> backups = List.of(
                "{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\"}}",
                "{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\", \"port\": 1}}",
                "{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\", \"port\": 65535}}",
                "{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\"}, \"tags\": [], \"params\": {}}",
                "{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\"}, \"params\": {\"anything\": \"goes\"}}",
                "{\"repository\": {\"url\": \"/r\", \"password\": {\"secret\": {\"name\": \"n\", \"key\": \"k\"}}, "
                        + "\"env\": {}}, \"postgres\": {\"host\": \"h\", \"user\": \"u\", \"password\": {\"file\": \"/p\"}}}",
                "{\"session\": {\"namespace\": \"demo\", \"name\": \"s1\"}}",
                // inline-only fields beside a session are accepted and ignored
                "{\"session\": {\"namespace\": \"demo\", \"name\": \"s1\"}, \"host\": \"h\", \"tags\": [\"t\"]}");
        List<String> restores = List.of(
                "{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\"}, \"snapshot\": \"latest\"}",
                "{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\"}, \"sourceHost\": \"host-0\", "
                        + "\"params\": {\"targetDatabase\": \"copy\"}}",
                "{\"session\": {\"namespace\": \"demo\", \"name\": \"r1\"}}");
        List<String> disagreements = new ArrayList<>();
        for (String doc : backups) {
            agreeAccepted("backup-requested.json", doc, disagreements);
        }
        for (String doc : restores) {
            agreeAccepted("restore-requested.json", doc, disagreements);
        }
        assertEquals(List.of(), disagreements);
    }

    /**
     * Every removal of a field, addition of an unknown field, blanking of a string and change of a
     * value's JSON type in complete requests: the decoder accepts exactly what the schema accepts.
     * An explicit null is the decoder's one systematic leniency (it reads it as an absent field);
     * the schemas do not allow null.
     */
    @Test
    void mutationsOfCompleteRequestsAreJudgedAlike() throws IOException {
        Map<String, List<String>> complete = Map.of(
                "backup-requested.json", List.of(
                        "{\"repository\": {\"url\": \"s3:https://minio:9000/b/p\", \"password\": {\"secret\": "
                                + "{\"namespace\": \"demo\", \"name\": \"repo\", \"key\": \"pw\"}}, \"env\": "
                                + "{\"AWS_ACCESS_KEY_ID\": {\"env\": \"KEY_ID\"}, \"AWS_SECRET_ACCESS_KEY\": "
                                + "{\"file\": \"/s/key\"}}}, \"postgres\": {\"host\": \"db\", \"port\": 5432, "
                                + "\"database\": \"shop\", \"user\": \"postgres\", \"password\": {\"env\": \"PGPW\"}}, "
                                + "\"host\": \"host-0\", \"tags\": [\"nightly\"], \"params\": {\"backupCMD\": "
                                + "\"pg_dump\", \"args\": \"-Fc\"}}",
                        "{\"session\": {\"namespace\": \"demo\", \"name\": \"nightly-1\"}}"),
                "restore-requested.json", List.of(
                        "{\"repository\": {\"url\": \"/srv/repo\", \"password\": {\"file\": \"/pw\"}}, \"postgres\": "
                                + "{\"host\": \"db\", \"port\": 5432, \"database\": \"shop\", \"user\": \"postgres\", "
                                + "\"password\": {\"secret\": {\"name\": \"pg\", \"key\": \"password\"}}}, "
                                + "\"snapshot\": \"latest\", \"sourceHost\": \"host-0\", \"params\": "
                                + "{\"targetDatabase\": \"copy\", \"args\": \"--no-owner\"}}",
                        "{\"session\": {\"namespace\": \"demo\", \"name\": \"restore-1\"}}"));
        List<String> disagreements = new ArrayList<>();
        int judged = 0;
        for (Map.Entry<String, List<String>> e : complete.entrySet()) {
            for (String text : e.getValue()) {
                JsonNode doc = EventData.MAPPER.readTree(text);
                assertTrue(javaAccepts(e.getKey(), doc) && schemaAccepts(e.getKey(), doc), text);
                for (Mutation m : mutations(doc)) {
                    judged++;
                    boolean java = javaAccepts(e.getKey(), m.doc());
                    boolean schema = schemaAccepts(e.getKey(), m.doc());
                    if (m.kind().equals("null")) {
                        // a null field reads as absent, so the decoder judges it as the field's removal; a null
                        // value in a map (params, env) it rejects; the schema refuses every null
                        List<Object> p = m.path();
                        boolean mapEntry = p.size() >= 2 && Set.of("params", "env").contains(p.get(p.size() - 2));
                        boolean expected = !mapEntry
                                && javaAccepts(e.getKey(), edit(doc, p, EventSchemasTest::remove));
                        if (java != expected || schema) {
                            disagreements.add(e.getKey() + " " + m + ": decoder " + java + ", schema " + schema);
                        }
                    } else if (java != schema) {
                        disagreements.add(e.getKey() + " " + m + ": decoder " + java + ", schema " + schema);
                    }
                }
            }
        }
        assertTrue(judged > 150, "only " + judged + " mutations");
        assertEquals(List.of(), disagreements);
    }

    /** What the decoder tolerates beyond the schemas (docs/events.md says not to rely on it). */
    @Test
    void decoderLeniencyBeyondTheSchemasIsOnlyScalarCoercionAndNull() {
        String repo = "\"repository\": {\"url\": \"/srv/repo\", \"password\": {\"env\": \"REPO_PASSWORD\"}}";
        for (String doc : List.of(
                "{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\", \"port\": \"5432\"}}",
                "{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\", \"database\": 7}}",
                "{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\", \"database\": null}}",
                "{" + repo + ", \"postgres\": {\"host\": \"h\", \"user\": \"u\"}, \"params\": {\"args\": true}}")) {
            JsonNode node = read(doc);
            assertTrue(javaAccepts("backup-requested.json", node), doc);
            assertFalse(schemaAccepts("backup-requested.json", node), doc);
        }
    }

    @Test
    void sessionReportRejectsUnknownFieldsLikeTheDecoder() {
        String ok = "{\"task\": \"pg-backup\", \"requestId\": \"/s#1\", \"stats\": {\"phase\": \"Failed\", "
                + "\"duration\": \"0s\", \"error\": \"e\", \"snapshots\": []}}";
        assertTrue(javaAccepts("session-report.json", read(ok)) && schemaAccepts("session-report.json", read(ok)));
        for (String bad : List.of(ok.replace("\"task\"", "\"taskName\""),
                ok.replace("\"error\"", "\"reason\""),
                ok.replace("\"snapshots\": []", "\"snapshots\": [{\"name\": \"f31af9a8\", \"id\": "
                        + "\"f31af9a80cbb25f3a32916be1d4b1a58f3cfe6a38e4d12bedb6aff8e7db7c363\", \"path\": \"/d\", "
                        + "\"shortId\": \"f31af9a8\"}]"))) {
            assertFalse(javaAccepts("session-report.json", read(bad)), bad);
            assertFalse(schemaAccepts("session-report.json", read(bad)), bad);
        }
    }

    // ---------------------------------------------------------------- docs/events.md

    /**
     * Every example in docs/events.md preceded by {@code <!-- schema: NAME -->} validates against that
     * schema and decodes; every one preceded by {@code <!-- schema-invalid: NAME -->} is rejected by
     * both. Examples are JSON blocks, or sh blocks whose {@code -d '...'} body is the data (binary
     * mode) or a structured-mode event.
     */
    @Test
    void examplesInEventsMdAgreeWithTheSchemas() throws IOException {
        String doc = Files.readString(docs.resolve("events.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<!-- schema(-invalid)?: ([\\w.-]+) -->\\s*\\n```(\\w+)\\n(.*?)\\n```",
                Pattern.DOTALL).matcher(doc);
        Map<String, Integer> valid = new LinkedHashMap<>();
        int invalid = 0;
        List<String> problems = new ArrayList<>();
        while (m.find()) {
            boolean expectValid = m.group(1) == null;
            String schema = m.group(2);
            String where = "events.md line " + (doc.substring(0, m.start()).split("\n", -1).length);
            if (!schemas.containsKey(schema)) {
                problems.add(where + ": unknown schema " + schema);
                continue;
            }
            JsonNode data;
            try {
                data = exampleData(m.group(3), m.group(4), schema, where);
            } catch (RuntimeException | IOException e) {
                problems.add(where + ": " + e.getMessage());
                continue;
            }
            List<String> errors = messages(schemas.get(schema).validate(data));
            boolean java = !DECODED_AS.containsKey(schema) || javaAccepts(schema, data);
            if (expectValid) {
                valid.merge(schema, 1, Integer::sum);
                if (!errors.isEmpty() || !java) {
                    problems.add(where + " (" + schema + "): schema errors " + errors + ", decoder accepts " + java);
                }
            } else {
                invalid++;
                if (errors.isEmpty() || (DECODED_AS.containsKey(schema) && java)) {
                    problems.add(where + " (" + schema + "): marked invalid but schema errors " + errors
                            + ", decoder accepts " + java);
                }
            }
        }
        assertEquals(List.of(), problems);
        // the markers must keep matching the examples, or this test would check nothing
        assertTrue(valid.getOrDefault("backup-requested.json", 0) >= 4, "backup examples: " + valid);
        assertTrue(valid.getOrDefault("restore-requested.json", 0) >= 3, "restore examples: " + valid);
        assertTrue(valid.getOrDefault("session-report.json", 0) >= 4, "reply examples: " + valid);
        assertTrue(valid.getOrDefault("ping.json", 0) >= 1, "ping examples: " + valid);
        assertTrue(invalid >= 3, "invalid examples: " + invalid);
    }

    /** Every event type, extension and snapshot-tag convention the code defines is documented. */
    @Test
    void eventsMdNamesEveryTypeAndConvention() throws Exception {
        String doc = Files.readString(docs.resolve("events.md"), StandardCharsets.UTF_8);
        for (Field f : EventTypes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String value = (String) f.get(null);
                assertTrue(doc.contains("`" + value), "events.md does not name " + f.getName() + " = " + value);
            }
        }
        for (String s : List.of(InlinePlans.REQUEST_TAG, "stowage.dev/session=", InlinePlans.DEFAULT_HOST,
                PgBackupHandler.TASK, PgRestoreHandler.TASK, "/stowage/pg-backup", "/stowage/restore",
                StructuredEvents.MEDIA_TYPE, "/actuator/health/liveness", "/actuator/health/readiness")) {
            assertTrue(doc.contains(s), "events.md does not mention " + s);
        }
        for (String schema : SCHEMAS) {
            assertTrue(doc.contains("schemas/" + schema), "events.md does not link schemas/" + schema);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode exampleData(String lang, String block, String schema, String where) throws IOException {
        String body = block;
        String binaryType = null;
        if (lang.equals("sh") || lang.equals("bash")) {
            Matcher d = Pattern.compile("(?:-d|--data|--data-binary) '(.*?)'(?=\\s*(?:\\\\?\\n|$))", Pattern.DOTALL)
                    .matcher(block);
            if (!d.find()) {
                throw new IllegalArgumentException("no -d '...' body in the sh block");
            }
            body = d.group(1);
            Matcher t = Pattern.compile("(?i)-H '?ce-type: ([\\w.]+)").matcher(block);
            binaryType = t.find() ? t.group(1) : null;
        } else if (!lang.equals("json")) {
            throw new IllegalArgumentException("examples must be json or sh blocks, not " + lang);
        }
        JsonNode node = EventData.MAPPER.readTree(body);
        String type = binaryType;
        if (node.has("specversion")) {
            CloudEvent event = StructuredEvents.parse(body.getBytes(StandardCharsets.UTF_8));
            type = event.type();
            node = EventData.MAPPER.readTree(event.data());
        }
        if (type != null && !TYPES_OF.get(schema).contains(type)) {
            throw new IllegalArgumentException("event type " + type + " does not carry " + schema);
        }
        if ((lang.equals("sh") || lang.equals("bash")) && type == null) {
            throw new IllegalArgumentException("curl example without an event type");
        }
        return node;
    }

    private static void assertValidRoundTrip(String schema, Class<?> type, String eventType, Object value) {
        byte[] data = EventData.write(value);
        JsonNode node = read(new String(data, StandardCharsets.UTF_8));
        assertEquals(List.of(), messages(schemas.get(schema).validate(node)), schema + ": " + node);
        Object back = EventData.read(new CloudEvent("1", "/test", eventType, null, null, "application/json", Map.of(),
                data), type);
        assertEquals(value, back);
    }

    private static void assertReply(CloudEvent reply, String type, String source, String task) {
        assertEquals(type, reply.type());
        assertEquals(source, reply.source());
        assertEquals("application/json", reply.dataContentType());
        assertEquals(task, reply.extension(EventTypes.TASK));
        assertNull(reply.extension(EventTypes.SESSION), "inline requests have no session");
        assertNull(reply.subject(), "inline requests have no subject");
        assertNotNull(reply.time());
        JsonNode data = read(new String(reply.data(), StandardCharsets.UTF_8));
        assertEquals(List.of(), messages(schemas.get("session-report.json").validate(data)), type + ": " + data);
        assertEquals("/test#", data.path("requestId").asText().substring(0, 6));
    }

    private static void checkRejected(String schema, Map<String, String> cases, List<String> disagreements) {
        for (Map.Entry<String, String> c : cases.entrySet()) {
            JsonNode doc = read(c.getKey());
            InvalidEventException e = assertThrows(InvalidEventException.class,
                    () -> EventData.read(event(schema, doc), DECODED_AS.get(schema)), c.getKey());
            if (!e.getMessage().contains(c.getValue())) {
                disagreements.add(schema + " " + c.getKey() + ": decoder message \"" + e.getMessage()
                        + "\" does not name " + c.getValue());
            }
            if (schemaAccepts(schema, doc)) {
                disagreements.add(schema + " accepts " + c.getKey() + " (decoder: " + e.getMessage() + ")");
            }
        }
    }

    private static void agreeAccepted(String schema, String text, List<String> disagreements) {
        JsonNode doc = read(text);
        List<String> errors = messages(schemas.get(schema).validate(doc));
        if (!errors.isEmpty()) {
            disagreements.add(schema + " rejects " + text + ": " + errors);
        }
        try {
            EventData.read(event(schema, doc), DECODED_AS.get(schema));
        } catch (InvalidEventException e) {
            disagreements.add("decoder rejects " + text + ": " + e.getMessage());
        }
    }

    private static boolean javaAccepts(String schema, JsonNode doc) {
        try {
            EventData.read(event(schema, doc), DECODED_AS.get(schema));
            return true;
        } catch (InvalidEventException e) {
            return false;
        }
    }

    private static boolean schemaAccepts(String schema, JsonNode doc) {
        return schemas.get(schema).validate(doc).isEmpty();
    }

    private static CloudEvent event(String schema, JsonNode doc) {
        return new CloudEvent("1", "/test", TYPES_OF.get(schema).iterator().next(), null, null, "application/json",
                Map.of(), EventData.write(doc));
    }

    /** One change to a document: {@code kind} at {@code path}. */
    private record Mutation(String kind, List<Object> path, JsonNode doc) {
        @Override
        public String toString() {
            return kind + " at " + path.stream().map(String::valueOf).collect(Collectors.joining("."));
        }
    }

    private static List<Mutation> mutations(JsonNode doc) {
        List<Mutation> out = new ArrayList<>();
        collect(doc, new ArrayList<>(), doc, out);
        return out;
    }

    private static void collect(JsonNode root, List<Object> path, JsonNode node, List<Mutation> out) {
        if (node.isObject()) {
            out.add(new Mutation("unknown field", path, edit(root, path, (parent, key) -> {
                JsonNode target = key == null ? parent : child(parent, key);
                ((ObjectNode) target).put("unexpectedField", "x");
            })));
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                List<Object> p = append(path, name);
                out.add(new Mutation("removal", p, edit(root, p, EventSchemasTest::remove)));
                collect(root, p, node.get(name), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(root, append(path, i), node.get(i), out);
            }
        }
        if (path.isEmpty()) {
            return;
        }
        if (path.get(path.size() - 1) instanceof String) {
            // (a null list element is no absent field: the decoder rejects it, as the schema does)
            out.add(new Mutation("null", path, edit(root, path, (parent, key) -> set(parent, key, NODES.nullNode()))));
        }
        JsonNode wrong = node.isObject() ? NODES.textNode("x") : NODES.objectNode();
        out.add(new Mutation("wrong type", path, edit(root, path, (parent, key) -> set(parent, key, wrong))));
        if (node.isTextual()) {
            for (String blank : List.of("", "  ")) {
                out.add(new Mutation("blank \"" + blank + "\"", path,
                        edit(root, path, (parent, key) -> set(parent, key, NODES.textNode(blank)))));
            }
        }
    }

    private interface Edit {
        void apply(JsonNode parent, Object key);
    }

    /** A copy of {@code root} with {@code edit} applied to the parent of {@code path} (or to the root itself). */
    private static JsonNode edit(JsonNode root, List<Object> path, Edit edit) {
        JsonNode copy = root.deepCopy();
        if (path.isEmpty()) {
            edit.apply(copy, null);
            return copy;
        }
        JsonNode parent = copy;
        for (Object step : path.subList(0, path.size() - 1)) {
            parent = child(parent, step);
        }
        edit.apply(parent, path.get(path.size() - 1));
        return copy;
    }

    private static JsonNode child(JsonNode parent, Object key) {
        return key instanceof Integer i ? parent.get(i) : parent.get((String) key);
    }

    private static void set(JsonNode parent, Object key, JsonNode value) {
        if (key instanceof Integer i) {
            ((ArrayNode) parent).set(i, value);
        } else {
            ((ObjectNode) parent).set((String) key, value);
        }
    }

    private static void remove(JsonNode parent, Object key) {
        if (key instanceof Integer i) {
            ((ArrayNode) parent).remove(i);
        } else {
            ((ObjectNode) parent).remove((String) key);
        }
    }

    private static List<Object> append(List<Object> path, Object step) {
        List<Object> p = new ArrayList<>(path);
        p.add(step);
        return p;
    }

    private static JsonNode resolve(String ref) {
        int hash = ref.indexOf('#');
        return schemaNodes.get(ref.substring(0, hash)).at(ref.substring(hash + 1));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(Error::toString).toList();
    }

    private static JsonNode read(String json) {
        try {
            return EventData.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static void script(Path path, String body) throws IOException {
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
