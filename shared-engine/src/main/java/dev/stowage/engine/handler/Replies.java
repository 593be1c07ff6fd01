package dev.stowage.engine.handler;

import dev.stowage.engine.event.EventTypes;
import dev.stowage.engine.event.SessionRef;
import java.util.HashMap;
import java.util.Map;

/** Routing extension attributes carried by replies, so Triggers can filter on task and session. */
final class Replies {
    private Replies() {
    }

    static Map<String, String> extensions(String task, SessionRef session) {
        Map<String, String> ext = new HashMap<>();
        if (task != null) {
            ext.put(EventTypes.TASK, task);
        }
        if (session != null) {
            ext.put(EventTypes.SESSION, session.toString());
        }
        return ext;
    }
}
