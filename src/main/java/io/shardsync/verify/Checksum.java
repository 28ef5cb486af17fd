package io.shardsync.verify;

/**
 * The checksums of a scope at the source and at each place: row count, XOR of the row fingerprints
 * and (at a place) rows that belong elsewhere. Those of adjacent scopes add up, counts by addition
 * and fingerprints by XOR, so a scope's checksums without those of a part of it are those of the
 * rest.
 */
record Checksum(boolean everyPlaceHoldsAll, long[] source, long[][] places) {
    long sourceRows() {
        return source[0];
    }

    /** Whether the places agree with the source. */
    boolean matches() {
        long count = 0;
        long xor = 0;
        for (long[] place : places) {
            boolean copyDiffers =
                    everyPlaceHoldsAll && (place[0] != source[0] || place[1] != source[1]);
            if (copyDiffers || place[2] != 0) {
                return false;
            }
            count += place[0];
            xor ^= place[1];
        }
        return everyPlaceHoldsAll || count == source[0] && xor == source[1];
    }

    Checksum without(Checksum part) {
        long[][] rest = new long[places.length][];
        for (int i = 0; i < places.length; i++) {
            rest[i] = without(places[i], part.places[i]);
        }
        return new Checksum(everyPlaceHoldsAll, without(source, part.source), rest);
    }

    private static long[] without(long[] whole, long[] part) {
        return new long[] {whole[0] - part[0], whole[1] ^ part[1], whole[2] - part[2]};
    }
}
