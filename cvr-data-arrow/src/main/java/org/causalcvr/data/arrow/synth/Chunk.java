package org.causalcvr.data.arrow.synth;

/**
 * The columns of up to {@code capacity} generated rows, in plain arrays reused batch after batch.
 */
final class Chunk {
    final int capacity;
    int n;
    long clicks;
    long conversions;
    final byte[] click;
    final byte[] conversion;
    final int[][] ids;
    final int[][] listOffsets;
    int[][] listIds;
    float[][] listWeights;
    final long[] group;
    final float[] truePropensity;
    final float[] trueCvr;
    final float[] clickLogit;
    final float[] cvrLogit;

    /** The raw seen part of the confounder, before standardization (visibility &gt; 0 only). */
    final float[] seen;

    /** The raw log-popularity of the user and item (popularity skew &gt; 0 only). */
    final float[] popularity;

    Chunk(FieldSpec[] specs, int capacity) {
        this.capacity = capacity;
        click = new byte[capacity];
        conversion = new byte[capacity];
        ids = new int[specs.length][];
        listOffsets = new int[specs.length][];
        listIds = new int[specs.length][];
        listWeights = new float[specs.length][];
        for (int f = 0; f < specs.length; f++) {
            if (specs[f].multiValued()) {
                listOffsets[f] = new int[capacity + 1];
                listIds[f] = new int[capacity * 2];
                listWeights[f] = new float[capacity * 2];
            } else {
                ids[f] = new int[capacity];
            }
        }
        group = new long[capacity];
        truePropensity = new float[capacity];
        trueCvr = new float[capacity];
        clickLogit = new float[capacity];
        cvrLogit = new float[capacity];
        seen = new float[capacity];
        popularity = new float[capacity];
    }

    void ensureList(int f, int size) {
        if (listIds[f].length < size) {
            int c = Math.max(size, listIds[f].length * 2);
            listIds[f] = java.util.Arrays.copyOf(listIds[f], c);
            listWeights[f] = java.util.Arrays.copyOf(listWeights[f], c);
        }
    }
}
