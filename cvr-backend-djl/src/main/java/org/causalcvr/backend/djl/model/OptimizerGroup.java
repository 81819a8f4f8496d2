package org.causalcvr.backend.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * Some of a tower's parameter arrays (those with one weight-decay setting) laid end to end in one
 * flat array, with their two Adam moments likewise, so that one optimizer call updates them all.
 *
 * <p>Each parameter is a view of its stretch of the flat array (the same memory, so what the update
 * writes is what the next forward pass reads) and a leaf of the autograd graph of its own: its
 * gradient stays a separate array, which {@link #adamUpdate} concatenates before the update. Adam
 * is elementwise, so updating the concatenation gives every element the bits that updating each
 * array on its own gives.
 */
final class OptimizerGroup {
    /** Whether the group's parameters take the tower's L2 penalty (the weights). */
    final boolean decays;

    /** Indices into the tower's parameter list, in the flat array's order. */
    private final int[] members;

    private final NDArray weights;
    private final NDArray firstMoments;
    private final NDArray secondMoments;

    private OptimizerGroup(
            boolean decays,
            int[] members,
            NDArray weights,
            NDArray firstMoments,
            NDArray secondMoments) {
        this.decays = decays;
        this.members = members;
        this.weights = weights;
        this.firstMoments = firstMoments;
        this.secondMoments = secondMoments;
    }

    /**
     * Builds one group per decay setting present in {@code decays} (decaying ones first) and fills
     * {@code params}, {@code first} and {@code second} with views of the groups' flat arrays: the
     * parameters holding {@code values} (in {@code shapes}) and recording gradients, the moments
     * zero. The flat arrays belong to {@code manager}.
     */
    static List<OptimizerGroup> of(
            boolean[] decays,
            List<float[]> values,
            List<Shape> shapes,
            NDManager manager,
            NDArray[] params,
            NDArray[] first,
            NDArray[] second) {
        var groups = new ArrayList<OptimizerGroup>();
        for (boolean decay : new boolean[] {true, false}) {
            int count = 0;
            int total = 0;
            for (int i = 0; i < decays.length; i++) {
                if (decays[i] == decay) {
                    count++;
                    total += values.get(i).length;
                }
            }
            if (count == 0) {
                continue;
            }
            int[] members = new int[count];
            float[] flat = new float[total];
            int m = 0;
            int at = 0;
            for (int i = 0; i < decays.length; i++) {
                if (decays[i] == decay) {
                    members[m++] = i;
                    float[] v = values.get(i);
                    System.arraycopy(v, 0, flat, at, v.length);
                    at += v.length;
                }
            }
            NDArray w = manager.create(flat, new Shape(total));
            NDArray fm = manager.zeros(new Shape(total), DataType.FLOAT32);
            NDArray sm = manager.zeros(new Shape(total), DataType.FLOAT32);
            at = 0;
            for (int i : members) {
                Shape shape = shapes.get(i);
                int size = values.get(i).length;
                params[i] = view(w, at, size, shape);
                params[i].setRequiresGradient(true);
                first[i] = view(fm, at, size, shape);
                second[i] = view(sm, at, size, shape);
                at += size;
            }
            groups.add(new OptimizerGroup(decay, members, w, fm, sm));
        }
        return List.copyOf(groups);
    }

    /** Elements [from, from + size) of the 1-d {@code flat}, as an array of {@code shape}. */
    private static NDArray view(NDArray flat, int from, int size, Shape shape) {
        try (PtNDArray stretch = JniUtils.slice((PtNDArray) flat, 0, from, from + size, 1)) {
            return stretch.reshape(shape);
        }
    }

    /**
     * One Adam step on the group from the gradients of {@code params}' members (DJL's native
     * update: the gradient plus {@code decay}·W, then m, v and W in place).
     */
    void adamUpdate(
            NDArray[] params,
            float lr,
            float stepSize,
            float decay,
            float beta1,
            float beta2,
            float epsHat) {
        PtNDArray[] grads = new PtNDArray[members.length];
        PtNDArray[] flatGrads = new PtNDArray[members.length];
        try {
            for (int k = 0; k < members.length; k++) {
                grads[k] = (PtNDArray) params[members[k]].getGradient();
                flatGrads[k] = (PtNDArray) grads[k].reshape(-1);
            }
            try (PtNDArray g = members.length == 1 ? flatGrads[0] : JniUtils.cat(flatGrads, 0)) {
                JniUtils.adamUpdate(
                        (PtNDArray) weights,
                        g,
                        (PtNDArray) firstMoments,
                        (PtNDArray) secondMoments,
                        lr,
                        stepSize,
                        decay,
                        1f,
                        -1f,
                        beta1,
                        beta2,
                        epsHat,
                        false);
            }
        } finally {
            for (int k = 0; k < members.length; k++) {
                if (flatGrads[k] != null) {
                    flatGrads[k].close();
                }
                if (grads[k] != null) {
                    grads[k].close();
                }
            }
        }
    }
}
