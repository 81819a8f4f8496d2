package org.causalcvr.api.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DoubleOpsTest {
    private final DoubleOps ops = DoubleOps.INSTANCE;

    @Test
    void elementwiseArithmeticMatchesHandComputedValues() {
        double[] a = {1, -2, 0.5};
        double[] b = {4, 0.25, -2};

        assertThat(ops.add(a, b)).containsExactly(5, -1.75, -1.5);
        assertThat(ops.sub(a, b)).containsExactly(-3, -2.25, 2.5);
        assertThat(ops.mul(a, b)).containsExactly(4, -0.5, -1);
        assertThat(ops.div(a, b)).containsExactly(0.25, -8, -0.25);
        assertThat(ops.neg(a)).containsExactly(-1, 2, -0.5);
        assertThat(ops.square(a)).containsExactly(1, 4, 0.25);
        assertThat(ops.oneMinus(a)).containsExactly(0, 3, 0.5);
        assertThat(ops.abs(a)).containsExactly(1, 2, 0.5);
    }

    @Test
    void scalarsBroadcastOnEitherSide() {
        double[] v = {1, 2, 3};

        assertThat(ops.add(v, ops.scalar(10))).containsExactly(11, 12, 13);
        assertThat(ops.sub(ops.scalar(10), v)).containsExactly(9, 8, 7);
        assertThat(ops.div(ops.scalar(6), v)).containsExactly(6, 3, 2);
        assertThat(ops.mulScalar(v, 0.5)).containsExactly(0.5, 1, 1.5);
        assertThat(ops.addScalar(v, -1)).containsExactly(0, 1, 2);
        assertThatThrownBy(() -> ops.add(v, new double[] {1, 2}))
                .hasMessage("Cannot broadcast lengths 3 and 2");
    }

    @Test
    void logAndExpAreInverseAndLogOfZeroIsMinusInfinity() {
        double[] x = {1, Math.E, 1e-300, 0};

        double[] log = ops.log(x);
        assertThat(log[0]).isEqualTo(0);
        assertThat(log[1]).isCloseTo(1, within(1e-15));
        assertThat(log[2]).isCloseTo(-690.7755, within(1e-4));
        assertThat(log[3]).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(ops.exp(new double[] {0, 1, -745.2}))
                .containsExactly(1, Math.E, Math.exp(-745.2));
    }

    @Test
    void logOfAValueClampedAwayFromZeroIsFinite() {
        double[] p = {0, 1e-12, 0.5, 1};

        double[] logged = ops.log(ops.clamp(p, 1e-7, 1 - 1e-7));

        assertThat(logged[0]).isCloseTo(Math.log(1e-7), within(1e-12));
        assertThat(logged[1]).isCloseTo(Math.log(1e-7), within(1e-12));
        assertThat(logged[2]).isCloseTo(Math.log(0.5), within(1e-15));
        assertThat(logged[3]).isCloseTo(Math.log(1 - 1e-7), within(1e-15));
    }

    @Test
    void clampHoldsValuesAtTheBoundsAndKeepsNaNVisible() {
        double[] x = {-1, 0.1, 0.2, 0.5, 0.9, 2, Double.NaN, Double.POSITIVE_INFINITY};

        double[] clamped = ops.clamp(x, 0.1, 0.9);

        assertThat(clamped).containsExactly(0.1, 0.1, 0.2, 0.5, 0.9, 0.9, Double.NaN, 0.9);
        assertThat(ops.clamp(x, Double.NEGATIVE_INFINITY, 0.5)[5]).isEqualTo(0.5);
        assertThatThrownBy(() -> ops.clamp(x, 1, 0)).hasMessageContaining("reversed");
    }

    @Test
    void sigmoidIsAccurateAndNeverOverflows() {
        double[] s = ops.sigmoid(new double[] {0, 2, -2, 800, -800});

        assertThat(s[0]).isEqualTo(0.5);
        assertThat(s[1]).isCloseTo(0.8807970779778823, within(1e-15));
        assertThat(s[2]).isCloseTo(0.11920292202211755, within(1e-15));
        assertThat(s[3]).isEqualTo(1.0);
        assertThat(s[4]).isEqualTo(0.0).isNotNaN();
    }

    @Test
    void whereChoosesBySignOfTheCondition() {
        double[] cond = {1, 0, 1, 0};

        assertThat(ops.where(cond, new double[] {1, 2, 3, 4}, ops.scalar(-1)))
                .containsExactly(1, -1, 3, -1);
    }

    @Test
    void reductionsReturnScalars() {
        double[] x = {3, -1, 4, 1.5};

        assertThat(ops.value(ops.sum(x))).isEqualTo(7.5);
        assertThat(ops.value(ops.mean(x))).isEqualTo(1.875);
        assertThat(ops.value(ops.min(x))).isEqualTo(-1);
        assertThat(ops.value(ops.max(x))).isEqualTo(4);
        assertThat(ops.size(x)).isEqualTo(4);
        assertThat(ops.value(ops.mean(new double[0]))).isNaN();
        assertThat(ops.value(ops.max(new double[] {1, Double.NaN}))).isNaN();
        assertThatThrownBy(() -> ops.value(x)).hasMessageContaining("4 entries");
    }

    @Test
    void sumIsCompensatedForManySmallTerms() {
        double[] x = new double[1_000_001];
        x[0] = 1e8;
        java.util.Arrays.fill(x, 1, x.length, 1e-8);

        assertThat(ops.value(ops.sum(x))).isCloseTo(1e8 + 1e-2, within(1e-9));
    }

    @Test
    void detachIsTheIdentityAndFullCopiesTheShape() {
        double[] x = {1, 2};

        assertThat(ops.detach(x)).containsExactly(1, 2);
        assertThat(ops.full(x, 7)).containsExactly(7, 7);
    }

    @Test
    void operationsNeverMutateTheirArguments() {
        double[] a = {1, 2, 3};
        double[] before = a.clone();

        ops.add(a, a);
        ops.log(a);
        ops.clamp(a, 2, 2);
        ops.sigmoid(a);

        assertThat(a).containsExactly(before);
    }
}
