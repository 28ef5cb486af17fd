package io.shardsync.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChecksumTest {
    /** count, fingerprint XOR, misplaced rows */
    private static long[] sums(long count, long xor, long misplaced) {
        return new long[] {count, xor, misplaced};
    }

    @Test
    void shardedPlacesMatchWhenTheirUnionIsTheSource() {
        long[] source = sums(3, 0b111, 0);
        assertTrue(
                new Checksum(false, source, new long[][] {sums(1, 0b001, 0), sums(2, 0b110, 0)})
                        .matches());
        assertFalse(
                new Checksum(false, source, new long[][] {sums(1, 0b001, 0), sums(2, 0b100, 0)})
                        .matches(),
                "a row differs");
        assertFalse(
                new Checksum(false, source, new long[][] {sums(1, 0b001, 1), sums(2, 0b110, 0)})
                        .matches(),
                "a row is on the wrong shard");
    }

    @Test
    void everyCopyOfATableOnEveryShardMustBeTheSource() {
        long[] source = sums(2, 0b11, 0);
        assertTrue(
                new Checksum(true, source, new long[][] {sums(2, 0b11, 0), sums(2, 0b11, 0)})
                        .matches());
        assertFalse(
                new Checksum(true, source, new long[][] {sums(2, 0b11, 0), sums(2, 0b10, 0)})
                        .matches());
    }

    @Test
    void aScopeWithoutItsFirstHalfIsItsSecondHalf() {
        Checksum whole =
                new Checksum(false, sums(5, 0b10110, 0), new long[][] {sums(3, 0b1100, 1)});
        Checksum first =
                new Checksum(false, sums(2, 0b00011, 0), new long[][] {sums(1, 0b0100, 1)});

        Checksum second = whole.without(first);

        assertArrayEquals(sums(3, 0b10101, 0), second.source());
        assertArrayEquals(sums(2, 0b1000, 0), second.places()[0]);
    }
}
