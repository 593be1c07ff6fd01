package dev.stowage.cli;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.json.JsonWriter;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Keys;
import java.io.Console;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "key", description = "Manage the repository's keys (passwords): list, add, remove ID, passwd.")
final class KeyCommand implements Callable<Integer> {
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @ParentCommand
    StowageCommand root;

    @Parameters(index = "0", paramLabel = "ACTION", description = "list, add, remove or passwd")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "key ID (prefix) for remove")
    String id;

    @Option(names = "--new-password-file", description = "file from which to read the new password")
    Path newPasswordFile;

    @Option(names = "--user", description = "the username for new keys")
    String user;

    @Option(names = "--host", description = "the hostname for new keys")
    String host;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = root.options();
        boolean exclusive = switch (action) {
            case "list", "add" -> false;
            case "remove", "passwd" -> true;
            default -> throw new StowageException("unknown key action \"" + action + "\": use list, add, remove or passwd");
        };
        if (action.equals("remove") == (id == null)) {
            throw new StowageException(id == null ? "key remove needs the ID of the key to remove"
                    : "only key remove takes a key ID");
        }
        try (RepositoryAccess access = RepositoryAccess.open(g, true, exclusive, false)) {
            Keys keys = new Keys(access.repo);
            switch (action) {
                case "list" -> list(g, keys.list());
                case "add" -> saved(g, keys.add(newPassword(), ScryptParams.defaults(), who()));
                case "remove" -> {
                    String removed = keys.remove(id);
                    if (!g.quiet) {
                        root.out.println("removed key " + removed.substring(0, 8));
                    }
                }
                default -> saved(g, keys.changePassword(newPassword(), ScryptParams.defaults(), who()));
            }
        }
        return 0;
    }

    private Identity who() {
        Identity me = Identity.current();
        return new Identity(user != null ? user : me.username(), host != null ? host : me.hostname(), me.pid());
    }

    private String newPassword() throws Exception {
        if (newPasswordFile != null) {
            return GlobalOptions.readPasswordFile(newPasswordFile);
        }
        Console console = System.console();
        if (console == null) {
            throw new StowageException("no new password given: use --new-password-file");
        }
        char[] first = console.readPassword("enter new password: ");
        char[] again = console.readPassword("enter password again: ");
        if (first == null || first.length == 0 || again == null || !new String(first).equals(new String(again))) {
            throw new StowageException("passwords are empty or do not match");
        }
        return new String(first);
    }

    private void saved(GlobalOptions g, String newId) {
        if (!g.quiet) {
            root.out.println("saved new key as " + newId.substring(0, 8));
        }
    }

    private void list(GlobalOptions g, List<Keys.KeyInfo> keys) {
        if (g.json) {
            JsonWriter w = new JsonWriter().beginArray();
            for (Keys.KeyInfo k : keys) {
                w.beginObject().name("current").value(k.current()).name("id").value(k.id().substring(0, 8))
                        .name("userName").value(k.username()).name("hostName").value(k.hostname())
                        .name("created").value(created(k)).endObject();
            }
            root.out.writeBytes(w.endArray().raw((byte) '\n').toByteArray());
            return;
        }
        int userWidth = Math.max(4, keys.stream().mapToInt(k -> k.username().length()).max().orElse(0));
        int hostWidth = Math.max(4, keys.stream().mapToInt(k -> k.hostname().length()).max().orElse(0));
        String fmt = "%-9s  %-" + userWidth + "s  %-" + hostWidth + "s  %s%n";
        String header = String.format(fmt, " ID", "User", "Host", "Created");
        root.out.print(header);
        root.out.println("-".repeat(header.length() + 10));
        for (Keys.KeyInfo k : keys) {
            root.out.printf(fmt, (k.current() ? "*" : " ") + k.id().substring(0, 8), k.username(), k.hostname(), created(k));
        }
        root.out.println("-".repeat(header.length() + 10));
    }

    private static String created(Keys.KeyInfo k) {
        try {
            return CREATED.format(GoTime.parse(k.created()));
        } catch (StowageException e) {
            return k.created();
        }
    }
}
