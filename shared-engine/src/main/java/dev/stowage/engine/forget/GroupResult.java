package dev.stowage.engine.forget;

import dev.stowage.engine.data.Snapshot;
import java.util.List;

/** The policy applied to one group: kept and removed snapshots, newest first, and the reasons. */
public record GroupResult(GroupKey key, List<Snapshot> keep, List<Snapshot> remove, List<KeepReason> reasons) {
    public GroupResult {
        keep = List.copyOf(keep);
        remove = List.copyOf(remove);
        reasons = List.copyOf(reasons);
    }
}
