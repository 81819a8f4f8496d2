package org.causalcvr.data.arrow.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import org.junit.jupiter.api.Test;

class ZipfSamplerTest {
    private static double topShare(ZipfSampler z, int draws) {
        var counts = new HashMap<Integer, Integer>();
        for (int i = 0; i < draws; i++) {
            int id = z.sample(SyntheticWorld.mix(i * 0x9E37_79B9_7F4A_7C15L + 12345));
            assertThat(id).isBetween(0, z.size() - 1);
            counts.merge(id, 1, Integer::sum);
        }
        return counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow()
                / (double) draws;
    }

    @Test
    void aliasTableFollowsTheLaw() {
        // s = 1 over 1000 ids: P(top) = 1 / H_1000 = 0.1336
        assertThat(topShare(new ZipfSampler(1000, 1.0, 3), 200_000)).isBetween(0.128, 0.139);
        // s = 0: uniform over 10 ids
        assertThat(topShare(new ZipfSampler(10, 0.0, 3), 200_000)).isBetween(0.095, 0.106);
    }

    @Test
    void hugeCardinalitiesUseTheInverseCdfAndStayInRange() {
        int n = ZipfSampler.ALIAS_LIMIT * 4;
        // continuous approximation: P(rank 0) = ((2^(1-s) - 1) / ((n+1)^(1-s) - 1)) for s = 1.2
        double s = 1.2;
        double expected = (Math.pow(2, 1 - s) - 1) / (Math.pow(n + 1.0, 1 - s) - 1);
        assertThat(topShare(new ZipfSampler(n, s, 5), 200_000))
                .isBetween(expected - 0.01, expected + 0.01);
        assertThat(topShare(new ZipfSampler(n, 1.0, 5), 50_000)).isGreaterThan(0.02);
    }
}
