package dev.stowage.cli;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.Backend;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.json.JsonWriter;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "init", description = "Create a new repository.")
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    StowageCommand root;

    @Option(names = "--repository-version", defaultValue = "stable",
            description = "repository format: 1, 2, stable or latest (default: stable = 2)")
    String version;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = root.options();
        int v = switch (version) {
            case "1" -> 1;
            case "2", "stable", "latest" -> 2;
            default -> throw new StowageException("invalid --repository-version \"" + version + "\": use 1, 2, stable or latest");
        };
        Backend backend = g.backend();
        try (Repository repo = Repository.init(backend, g.password(true), v, ScryptParams.defaults(),
                Identity.current(), g.repositoryOptions(backend))) {
            if (g.json) {
                root.out.writeBytes(new JsonWriter().beginObject()
                        .name("message_type").value("initialized")
                        .name("id").value(repo.config().id())
                        .name("repository").value(g.repository())
                        .endObject().raw((byte) '\n').toByteArray());
            } else if (!g.quiet) {
                root.out.println("created restic repository " + repo.config().id().substring(0, 10) + " at " + g.repository());
                root.out.println();
                root.out.println("Please note that knowledge of your password is required to access");
                root.out.println("the repository. Losing your password means that your data is");
                root.out.println("irrecoverably lost.");
            }
        }
        return 0;
    }
}
