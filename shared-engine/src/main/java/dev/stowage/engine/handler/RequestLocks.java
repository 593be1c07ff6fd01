package dev.stowage.engine.handler;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets one delivery of a request run at a time in this process, so a concurrent duplicate waits
 * and then finds the snapshot the first one made. Striped by key hash: unrelated requests rarely
 * share a stripe, and nothing is kept per request.
 */
final class RequestLocks {
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    RequestLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    <T> T call(String key, Callable<T> work) throws Exception {
        ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), stripes.length)];
        lock.lockInterruptibly();
        try {
            return work.call();
        } finally {
            lock.unlock();
        }
    }
}
