package dev.stowage.engine;

import dev.stowage.engine.chunker.Chunker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class BufferPoolTest {
    @Test
    void sizesArePowersOfTwoFrom4KiB() {
        BufferPool pool = new BufferPool(0);
        assertEquals(4096, pool.take(0).length);
        assertEquals(4096, pool.take(4096).length);
        assertEquals(8192, pool.take(4097).length);
        assertEquals(1 << 20, pool.take((1 << 19) + 1).length);
        assertEquals(Chunker.MAX_SIZE, pool.take(Chunker.MAX_SIZE).length);
        assertEquals(Chunker.MAX_SIZE + 1, pool.take(Chunker.MAX_SIZE + 1).length, "larger: exact, not pooled");
    }

    @Test
    void givenArraysComeBackForTheSameSizeClass() {
        BufferPool pool = new BufferPool(1 << 20);
        byte[] a = pool.take(100_000);
        pool.give(a);
        assertNotSame(a, pool.take(1000), "another size class");
        assertSame(a, pool.take(70_000));
        assertNotSame(a, pool.take(70_000), "taken already");
    }

    @Test
    void keepsNoMoreThanItsLimit() {
        BufferPool pool = new BufferPool(100_000);
        byte[] a = pool.take(65_536);
        byte[] b = pool.take(65_536);
        pool.give(a);
        pool.give(b); // over the limit: dropped
        assertSame(a, pool.take(65_536));
        assertNotSame(b, pool.take(65_536));
    }

    @Test
    void arraysOfOtherSizesMakeRoomForTheOneGivenBackLargestFirst() {
        BufferPool pool = new BufferPool(3 << 20);
        byte[] big = pool.take(2 << 20);
        byte[] mid = pool.take(1 << 20);
        pool.give(big);
        pool.give(mid); // exactly at the limit
        byte[] small = pool.take(64 << 10);
        pool.give(small); // over it: the 2 MiB array goes, the 1 MiB one stays
        assertSame(small, pool.take(64 << 10));
        assertSame(mid, pool.take(1 << 20));
        assertNotSame(big, pool.take(2 << 20));

        // arrays of the same size never evict each other
        BufferPool same = new BufferPool(1 << 20);
        byte[] first = same.take(1 << 20);
        byte[] second = same.take(1 << 20);
        same.give(first);
        same.give(second);
        assertSame(first, same.take(1 << 20));
        assertNotSame(second, same.take(1 << 20));
    }

    @Test
    void keepsOnlyArraysOfItsOwnSizes() {
        BufferPool pool = new BufferPool(64 << 20);
        pool.give(new byte[5000]);
        pool.give(new byte[1024]);
        pool.give(new byte[16 << 20]);
        assertEquals(8192, pool.take(5000).length);
        assertEquals(4096, pool.take(1024).length);
        assertEquals(16 << 20, pool.take(16 << 20).length);
        byte[] pooled = new byte[16 << 10];
        pool.give(pooled);
        assertSame(pooled, pool.take(10_000));
    }
}
