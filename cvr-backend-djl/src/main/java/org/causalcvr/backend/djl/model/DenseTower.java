package org.causalcvr.backend.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.causalcvr.api.estimator.Activation;

/**
 * One tower: an MLP from the concatenated embeddings to one logit per row, with its own Adam state;
 * or, under preset {@code mf}, a {@link MatrixFactorisation} of two fields' embeddings whose only
 * own parameter is the global bias. Parameters live on the model's device, in the model's manager;
 * a step's intermediates in the step's scope.
 */
public final class DenseTower {
    public final String name;
    public final String group;
    public final int inputWidth;
    public final List<Integer> hidden;
    public final Activation activation;
    public final double l2;

    /**
     * W0, b0, [alpha0], W1, b1, [alpha1], ..., Wout, bout; or, for matrix factorisation, b. Each is
     * a view into its {@link OptimizerGroup}'s flat array: write them with {@link #assign}, never
     * {@link NDArray#set}, which would give the view storage of its own.
     */
    public final NDArray[] params;

    /** Where a matrix-factorisation tower reads its fields; null for an MLP tower. */
    public final MatrixFactorisation.Blocks matrixFactorisation;

    public final boolean[] decays;
    public final NDArray[] firstMoments;
    public final NDArray[] secondMoments;
    public long steps;

    /** The flat arrays behind {@link #params} and the moments, one per decay setting. */
    private final List<OptimizerGroup> groups;

    /** PReLU's 0, made once in engine memory (see {@link EngineScalars}); null for other towers. */
    private final NDArray zero;

    public DenseTower(
            String name,
            String group,
            int inputWidth,
            List<Integer> hidden,
            Activation activation,
            double l2,
            NDManager manager,
            SplittableRandom rng) {
        this.name = name;
        this.group = group;
        this.inputWidth = inputWidth;
        this.hidden = List.copyOf(hidden);
        this.activation = activation;
        this.l2 = l2;
        this.matrixFactorisation = null;
        this.zero = activation == Activation.PRELU ? EngineScalars.of(manager, 0) : null;
        var values = new ArrayList<float[]>();
        var shapes = new ArrayList<Shape>();
        var ds = new ArrayList<Boolean>();
        int in = inputWidth;
        var widths = new ArrayList<>(hidden);
        widths.add(1);
        for (int layer = 0; layer < widths.size(); layer++) {
            int out = widths.get(layer);
            // torch.nn.Linear's default: U(-1/sqrt(in), 1/sqrt(in)) for weights and biases.
            float bound = (float) (1 / Math.sqrt(in));
            values.add(uniform(rng, in * out, bound));
            shapes.add(new Shape(in, out));
            ds.add(true);
            values.add(uniform(rng, out, bound));
            shapes.add(new Shape(out));
            ds.add(false);
            if (activation == Activation.PRELU && layer < widths.size() - 1) {
                float[] alpha = new float[out];
                java.util.Arrays.fill(alpha, 0.25f);
                values.add(alpha);
                shapes.add(new Shape(out));
                ds.add(false);
            }
            in = out;
        }
        decays = new boolean[ds.size()];
        for (int i = 0; i < decays.length; i++) {
            decays[i] = ds.get(i);
        }
        params = new NDArray[values.size()];
        firstMoments = new NDArray[params.length];
        secondMoments = new NDArray[params.length];
        groups =
                OptimizerGroup.of(
                        decays, values, shapes, manager, params, firstMoments, secondMoments);
    }

    /** A matrix-factorisation tower: its one parameter, the global bias b, starts at 0. */
    private DenseTower(
            String name,
            String group,
            MatrixFactorisation.Blocks blocks,
            Activation activation,
            double l2,
            NDManager manager) {
        this.name = name;
        this.group = group;
        this.inputWidth = 0;
        this.hidden = List.of();
        this.activation = activation;
        this.l2 = l2;
        this.matrixFactorisation = blocks;
        this.zero = null;
        params = new NDArray[1];
        decays = new boolean[] {false};
        firstMoments = new NDArray[1];
        secondMoments = new NDArray[1];
        groups =
                OptimizerGroup.of(
                        decays,
                        List.of(new float[1]),
                        List.of(new Shape(1)),
                        manager,
                        params,
                        firstMoments,
                        secondMoments);
    }

    /** A matrix-factorisation tower reading {@code blocks} of the network's input. */
    public static DenseTower matrixFactorisation(
            String name,
            String group,
            MatrixFactorisation.Blocks blocks,
            Activation activation,
            double l2,
            NDManager manager) {
        return new DenseTower(name, group, blocks, activation, l2, manager);
    }

    private static float[] uniform(SplittableRandom rng, int n, float bound) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return out;
    }

    /** The logits, shape (n); gradients reach the parameters only if {@code trainable}. */
    public NDArray forward(NDArray x, boolean trainable) {
        return forward(x, trainable, null, null, null);
    }

    /**
     * The logits while the tower trains: as {@link #forward(NDArray, boolean)}, with {@code
     * dropout} (when not null and its rate is positive) on every hidden layer, its masks those of
     * the rows at {@code places} of the batch ({@code null}: the first n places), drawn in {@code
     * manager}.
     */
    public NDArray forward(
            NDArray x, boolean trainable, Dropout dropout, int[] places, NDManager manager) {
        if (matrixFactorisation != null) {
            return matrixFactorisation.logits(x, param(0, trainable));
        }
        NDArray h = x;
        int p = 0;
        int layers = hidden.size() + 1;
        for (int layer = 0; layer < layers; layer++) {
            NDArray w = param(p++, trainable);
            NDArray b = param(p++, trainable);
            // torch.nn.functional.linear (one addmm) instead of matmul then add: one pass over
            // the (n, out) activations fewer forward and backward. W is stored (in, out), so
            // linear gets its transposed view, which addmm reads without a copy.
            h = JniUtils.linear((PtNDArray) h, (PtNDArray) w.transpose(), (PtNDArray) b);
            if (layer < layers - 1) {
                h =
                        switch (activation) {
                            case RELU -> ai.djl.nn.Activation.relu(h);
                            case TANH -> h.tanh();
                            case SIGMOID -> ai.djl.nn.Activation.sigmoid(h);
                            case PRELU -> {
                                NDArray alpha = param(p++, trainable);
                                // Not h.maximum(0f): see EngineScalars.
                                yield h.maximum(zero).add(h.minimum(zero).mul(alpha));
                            }
                        };
                if (dropout != null && dropout.rate() > 0) {
                    int n = (int) h.getShape().get(0);
                    h = h.mul(dropout.mask(manager, steps, layer, places, n, hidden.get(layer)));
                }
            }
        }
        return h.reshape(-1);
    }

    private NDArray param(int i, boolean trainable) {
        return trainable ? params[i] : params[i].stopGradient();
    }

    /**
     * One Adam step on every parameter from its gradient (plus 2·l2·W for weights), then clears the
     * gradients. Runs with gradient recording off; intermediates belong to the open scope.
     *
     * <p>The parameters (and both moments) are views into one flat array per {@link OptimizerGroup}
     * (the weights, which decay, and the rest), so the update is one native call per group over the
     * concatenated gradients instead of one per array: Adam's dozen elementwise passes then run as
     * a few large operations instead of a dozen per array (a tower of five layers has ten arrays),
     * each large one an OpenMP region fewer. Element for element the arithmetic is the same, so the
     * result is the same bits.
     */
    public void adamStep(double lr, double beta1, double beta2, double eps) {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        float stepSize = (float) (lr * Math.sqrt(bc2) / bc1);
        float epsHat = (float) (eps * Math.sqrt(bc2));
        for (OptimizerGroup g : groups) {
            // m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², w ← w − stepSize·m/(√v + ε̂), on the
            // gradient g + 2·l2·W (weights only).
            g.adamUpdate(
                    params,
                    (float) lr,
                    stepSize,
                    l2 > 0 && g.decays ? (float) (2 * l2) : 0f,
                    (float) beta1,
                    (float) beta2,
                    epsHat);
        }
        zeroGradients();
    }

    /** Clears the gradients without a step (a frozen tower that still recorded some). */
    public void zeroGradients() {
        for (NDArray p : params) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    public void write(DataOutputStream out, boolean withMoments) throws IOException {
        out.writeInt(params.length);
        out.writeLong(withMoments ? steps : 0);
        out.writeBoolean(withMoments);
        for (int i = 0; i < params.length; i++) {
            writeArray(out, params[i]);
            if (withMoments) {
                writeArray(out, firstMoments[i]);
                writeArray(out, secondMoments[i]);
            }
        }
    }

    public void read(DataInputStream in, String what) throws IOException {
        int n = in.readInt();
        if (n != params.length) {
            throw new IOException(
                    what
                            + ": tower '"
                            + name
                            + "' has "
                            + n
                            + " arrays, expected "
                            + params.length);
        }
        long s = in.readLong();
        boolean moments = in.readBoolean();
        steps = s;
        for (int i = 0; i < n; i++) {
            readInto(in, params[i], what);
            if (moments) {
                readInto(in, firstMoments[i], what);
                readInto(in, secondMoments[i], what);
            } else {
                firstMoments[i].muli(0f);
                secondMoments[i].muli(0f);
            }
        }
    }

    private static void writeArray(DataOutputStream out, NDArray a) throws IOException {
        float[] v = a.toFloatArray();
        out.writeInt(v.length);
        byte[] buf = new byte[v.length * 4];
        java.nio.ByteBuffer.wrap(buf).asFloatBuffer().put(v);
        out.write(buf);
    }

    private void readInto(DataInputStream in, NDArray target, String what) throws IOException {
        int len = in.readInt();
        if (len != target.size()) {
            throw new IOException(
                    what
                            + ": tower '"
                            + name
                            + "' array of "
                            + len
                            + " values, expected "
                            + target.size());
        }
        byte[] buf = new byte[len * 4];
        in.readFully(buf);
        float[] v = new float[len];
        java.nio.ByteBuffer.wrap(buf).asFloatBuffer().get(v);
        assign(target, v);
    }

    /**
     * Copies {@code values} into {@code target}'s own memory (in place, unlike {@link NDArray#set},
     * which replaces the storage and so would cut a view off from its flat array).
     */
    public static void assign(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException(
                    values.length + " values for an array of " + target.size());
        }
        long[] shape = target.getShape().getShape();
        long[] zeros = new long[shape.length];
        long[] ones = new long[shape.length];
        java.util.Arrays.fill(ones, 1);
        // Gradient mode is per thread and on by default (a Spark executor's thread): an in-place
        // write to a view that records gradients is refused there, and must not be recorded.
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDArray source = target.getManager().create(values, target.getShape())) {
            JniUtils.indexSet((PtNDArray) target, (PtNDArray) source, zeros, shape, ones);
        } finally {
            JniUtils.setGradMode(recording);
        }
    }
}
