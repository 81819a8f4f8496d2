package org.causalcvr.metrics;

import java.util.Arrays;

/**
 * Maps arbitrary {@code long} group ids to dense ids {@code 0, 1, 2, ...} in order of first
 * appearance, with an open-addressing hash table of primitives (no boxing).
 */
final class GroupIds {
    private static final long EMPTY = Long.MIN_VALUE;
    private long[] keys;
    private int[] values;
    private int size;
    private boolean hasEmptyKey;
    private int emptyKeyValue;

    GroupIds() {
        keys = new long[1 << 10];
        Arrays.fill(keys, EMPTY);
        values = new int[keys.length];
    }

    /** The number of distinct ids seen. */
    int size() {
        return size;
    }

    /** The dense id of {@code group}, assigning the next one if it is new. */
    int dense(long group) {
        if (group == EMPTY) {
            if (!hasEmptyKey) {
                hasEmptyKey = true;
                emptyKeyValue = size++;
            }
            return emptyKeyValue;
        }
        int mask = keys.length - 1;
        int slot = (int) mix(group) & mask;
        while (true) {
            long k = keys[slot];
            if (k == group) {
                return values[slot];
            }
            if (k == EMPTY) {
                keys[slot] = group;
                values[slot] = size++;
                if (2 * size > keys.length) {
                    rehash();
                }
                return size - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Dense ids for every entry of {@code groups}. */
    static DenseGroups of(long[] groups) {
        var ids = new GroupIds();
        int[] dense = new int[groups.length];
        for (int i = 0; i < groups.length; i++) {
            dense[i] = ids.dense(groups[i]);
        }
        return new DenseGroups(dense, ids.size());
    }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        values = new int[keys.length];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = (int) mix(oldKeys[i]) & mask;
                while (keys[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }

    /** The SplitMix64 finaliser: consecutive user ids spread over the table. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Dense group ids of some rows and how many distinct groups there are. */
    record DenseGroups(int[] ids, int count) {}
}
