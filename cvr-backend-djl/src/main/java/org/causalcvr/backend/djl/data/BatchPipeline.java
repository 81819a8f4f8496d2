package org.causalcvr.backend.djl.data;

import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;

/**
 * One epoch of training batches, assembled on a background thread while the current step runs.
 *
 * <p>Rows stream from the source into a window of {@code shuffle-rows} rows (rounded up to whole
 * batches); each full window is permuted with a generator seeded from the pipeline's seed, then cut
 * into batches. With a window of 0 rows the data order is kept. When the estimator under-samples
 * unclicked rows (λ), every batch keeps its clicked rows and a seeded random k = min(u, ⌈λ·clicks⌉)
 * of its u unclicked rows, in data order; or, when told to weight instead of drawing, keeps every
 * row and gives each unclicked one the row weight k/u, its chance of being drawn. The same source
 * and seed give the same batches, in the same order, whatever the thread timing.
 *
 * <p>Batches are {@link HostBatch}es from a small pool: {@link #take()} one, use it, {@link
 * #release} it. The time {@code take()} spends waiting is measured ({@link #waitNanos()}).
 */
public final class BatchPipeline implements AutoCloseable {
    private static final Object END = new Object();

    private final ExposureSource source;
    private final FieldLayout layout;
    private final int batchSize;
    private final int windowRows;
    private final boolean shuffle;
    private final OptionalDouble unclickedRate;
    private final boolean weightUnclicked;
    private final long seed;
    private final long skipBatches;
    private final BlockingQueue<Object> ready;
    private final BlockingQueue<HostBatch> free;
    private final Thread producer;
    private volatile boolean stopped;
    private long waitNanos;
    private long batchIndex;

    /**
     * @param unclickedRate λ, unclicked rows kept per clicked row of a batch; empty keeps every row
     * @param weightUnclicked with a λ, keep every row and weight each unclicked one by its chance
     *     of being drawn instead of drawing
     * @param skipBatches batches to produce and drop first (to resume an epoch where a checkpoint
     *     left it; their random draws are made as in the uninterrupted run)
     */
    public BatchPipeline(
            ExposureSource source,
            FieldLayout layout,
            int batchSize,
            int shuffleRows,
            OptionalDouble unclickedRate,
            boolean weightUnclicked,
            long seed,
            int prefetch,
            long skipBatches) {
        this.source = source;
        this.layout = layout;
        this.batchSize = batchSize;
        this.shuffle = shuffleRows > 0;
        long windows = shuffle ? Math.max(1, (shuffleRows + (long) batchSize - 1) / batchSize) : 1;
        this.windowRows = (int) Math.min(Integer.MAX_VALUE - 8, windows * batchSize);
        this.unclickedRate = unclickedRate;
        this.weightUnclicked = weightUnclicked && unclickedRate.isPresent();
        this.seed = seed;
        this.skipBatches = skipBatches;
        this.ready = new ArrayBlockingQueue<>(prefetch + 1);
        this.free = new ArrayBlockingQueue<>(prefetch + 2);
        for (int i = 0; i < prefetch + 2; i++) {
            free.add(new HostBatch(layout.singleFields().length, layout.multiFields().length));
        }
        producer = new Thread(this::produce, "cvr-djl-batches");
        producer.setDaemon(true);
        producer.start();
    }

    /** The next batch (possibly of 0 rows, after under-sampling), or null at the end. */
    public HostBatch take() {
        long t0 = System.nanoTime();
        Object item;
        try {
            item = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CvrException("Interrupted while waiting for a training batch", e);
        } finally {
            waitNanos += System.nanoTime() - t0;
        }
        if (item == END) {
            ready.offer(END);
            return null;
        }
        if (item instanceof RuntimeException e) {
            ready.offer(item);
            throw e;
        }
        if (item instanceof Error e) {
            throw e;
        }
        return (HostBatch) item;
    }

    public void release(HostBatch batch) {
        free.offer(batch);
    }

    /** Nanoseconds {@link #take()} has spent waiting for the producer. */
    public long waitNanos() {
        return waitNanos;
    }

    private void produce() {
        try (BatchCursor cursor = source.open()) {
            var rng = new SplittableRandom(seed);
            boolean truth = source.schema().hasGroundTruth();
            RowWindow window = new RowWindow(layout, windowRows, truth);
            RowWindow spare = new RowWindow(layout, windowRows, truth);
            int[] order = new int[windowRows];
            int[] picks = new int[batchSize];
            int[] unclicked = new int[batchSize];
            float[] weights = weightUnclicked ? new float[batchSize] : null;
            long streamRow = 0;
            String what = source.description();
            while (!stopped && cursor.next()) {
                ExposureBatch batch = cursor.batch();
                int off = 0;
                while (off < batch.size()) {
                    int c = Math.min(window.free(), batch.size() - off);
                    window.append(batch, off, c, streamRow, what);
                    off += c;
                    streamRow += c;
                    if (window.free() == 0) {
                        int rest = drain(window, order, picks, unclicked, weights, rng, false);
                        spare.copyRows(window, order, rest);
                        var t = window;
                        window = spare;
                        spare = t;
                    }
                }
            }
            if (!stopped) {
                drain(window, order, picks, unclicked, weights, rng, true);
            }
            put(END);
        } catch (RuntimeException | Error e) {
            if (!stopped) {
                putQuietly(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Emits the window's batches; when not final, leaves the rows that do not fill a batch at the
     * start of {@code order} and returns their count.
     */
    private int drain(
            RowWindow window,
            int[] order,
            int[] picks,
            int[] unclicked,
            float[] weights,
            SplittableRandom rng,
            boolean last)
            throws InterruptedException {
        int n = window.size();
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int full = n / batchSize;
        int batches = last ? (n + batchSize - 1) / batchSize : full;
        for (int b = 0; b < batches && !stopped; b++) {
            int from = b * batchSize;
            int count = Math.min(batchSize, n - from);
            int kept = select(window, order, from, count, picks, unclicked, weights, rng);
            batchIndex++;
            if (batchIndex <= skipBatches) {
                continue;
            }
            HostBatch out = free.take();
            window.fill(out, picks, kept);
            if (weights == null) {
                out.rowWeights = null;
            } else {
                if (out.rowWeights == null || out.rowWeights.length < kept) {
                    out.rowWeights = new float[batchSize];
                }
                System.arraycopy(weights, 0, out.rowWeights, 0, kept);
            }
            out.sourceRows = count;
            put(out);
        }
        int rest = last ? 0 : n - full * batchSize;
        System.arraycopy(order, full * batchSize, order, 0, rest);
        return rest;
    }

    /**
     * The rows of one batch after the under-sampling of unclicked rows, in window order; when
     * weighting, every row, with its weight in {@code weights}.
     */
    private int select(
            RowWindow window,
            int[] order,
            int from,
            int count,
            int[] picks,
            int[] unclicked,
            float[] weights,
            SplittableRandom rng) {
        if (unclickedRate.isEmpty()) {
            System.arraycopy(order, from, picks, 0, count);
            return count;
        }
        int clicked = 0;
        int nUnclicked = 0;
        for (int i = 0; i < count; i++) {
            if (window.click(order[from + i]) == 1) {
                clicked++;
            } else {
                unclicked[nUnclicked++] = i;
            }
        }
        long want = (long) Math.ceil(unclickedRate.getAsDouble() * clicked);
        int keep = (int) Math.min(nUnclicked, want);
        if (weights != null) {
            // The draw below keeps each unclicked row with chance keep/nUnclicked; weighting by
            // it gives every weighted sum of the loss the draw's expectation.
            float unclickedWeight = nUnclicked == 0 ? 1f : (float) ((double) keep / nUnclicked);
            for (int i = 0; i < count; i++) {
                int row = order[from + i];
                picks[i] = row;
                weights[i] = window.click(row) == 1 ? 1f : unclickedWeight;
            }
            return count;
        }
        // A partial Fisher-Yates draw marks the kept unclicked rows; order is then restored.
        for (int i = 0; i < keep; i++) {
            int j = i + rng.nextInt(nUnclicked - i);
            int t = unclicked[i];
            unclicked[i] = unclicked[j];
            unclicked[j] = t;
        }
        java.util.Arrays.sort(unclicked, 0, keep);
        int kept = 0;
        int u = 0;
        for (int i = 0; i < count; i++) {
            int row = order[from + i];
            if (window.click(row) == 1) {
                picks[kept++] = row;
            } else if (u < keep && unclicked[u] == i) {
                picks[kept++] = row;
                u++;
            }
        }
        return kept;
    }

    private void put(Object item) throws InterruptedException {
        while (!stopped) {
            if (ready.offer(item, 50, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    private void putQuietly(Object item) {
        try {
            put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopped = true;
        producer.interrupt();
        try {
            producer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
