package dev.stowage.engine.repository;

import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.crypto.KeyFile;
import dev.stowage.engine.crypto.ScryptParams;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The repository's key files: every password wraps the same master key, so passwords can be
 * added, changed and removed per user without re-encrypting anything (restic's {@code key}).
 */
public final class Keys {
    private final Repository repo;

    public Keys(Repository repo) {
        this.repo = repo;
    }

    /** One key file, as {@code key list} shows it. */
    public record KeyInfo(String id, String username, String hostname, String created, boolean current) {
    }

    public List<KeyInfo> list() throws IOException {
        List<KeyInfo> keys = new ArrayList<>();
        for (String name : repo.backend().list(FileType.KEY)) {
            KeyFile kf = KeyFile.parse(repo.backend().load(new Handle(FileType.KEY, name)));
            keys.add(new KeyInfo(name, kf.username(), kf.hostname(), kf.created(), name.equals(repo.keyId())));
        }
        return keys;
    }

    /**
     * Adds a key file for {@code password}.
     *
     * @return the new key's ID
     * @throws StowageException if the repository already has {@value Repository#MAX_KEYS} keys, the
     *     most restic tries when opening
     */
    public String add(String password, ScryptParams params, Identity who) throws IOException {
        int count = repo.backend().list(FileType.KEY).size();
        if (count >= Repository.MAX_KEYS) {
            throw new StowageException("the repository already has " + count + " keys; restic tries at most "
                    + Repository.MAX_KEYS + " when opening, so remove one first");
        }
        return write(password, params, who);
    }

    /**
     * Removes the key whose ID starts with {@code idPrefix}; the key this repository was opened
     * with cannot be removed (that could lock everyone out).
     *
     * @return the removed key's full ID
     */
    public String remove(String idPrefix) throws IOException {
        String id = resolve(idPrefix);
        if (id.equals(repo.keyId())) {
            throw new StowageException("refusing to remove key " + id.substring(0, 8)
                    + ": it is the key currently used to open the repository");
        }
        repo.backend().remove(new Handle(FileType.KEY, id));
        return id;
    }

    /**
     * Replaces the current key by one for {@code newPassword}: the new key is written before the
     * old one is removed, so the repository is never without a key.
     *
     * @return the new key's ID
     */
    public String changePassword(String newPassword, ScryptParams params, Identity who) throws IOException {
        // replacing a key: the limit does not apply to the moment both exist
        String added = write(newPassword, params, who);
        repo.backend().remove(new Handle(FileType.KEY, repo.keyId()));
        return added;
    }

    private String write(String password, ScryptParams params, Identity who) throws IOException {
        byte[] json = KeyFile.create(repo.key(), password, params, who.username(), who.hostname(), who.now()).toJson();
        String id = Id.hash(json).hex();
        repo.backend().save(new Handle(FileType.KEY, id), json);
        return id;
    }

    private String resolve(String prefix) throws IOException {
        String p = prefix.toLowerCase(java.util.Locale.ROOT);
        List<String> matches = repo.backend().list(FileType.KEY).stream().filter(n -> n.startsWith(p)).toList();
        if (p.isEmpty() || matches.isEmpty()) {
            throw new StowageException("no key with ID " + prefix + " in the repository");
        }
        if (matches.size() > 1) {
            throw new StowageException("key ID prefix " + prefix + " is ambiguous: it matches " + matches.size()
                    + " keys; give more digits");
        }
        return matches.get(0);
    }
}
