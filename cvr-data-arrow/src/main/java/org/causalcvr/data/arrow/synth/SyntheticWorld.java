package org.causalcvr.data.arrow.synth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.BatchBuilder;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.causalcvr.data.arrow.ExposureWriter;
import org.causalcvr.data.arrow.IpcFormat;

/**
 * A synthetic exposure log missing not at random, with the true click propensity and the true
 * conversion probability of every exposure.
 *
 * <p><b>Generative model.</b> Exposure {@code t} (a row index) draws a user {@code u} and an item
 * {@code i} from Zipf-like popularity laws; every other field is a fixed function of the user, of
 * the item, of the user and another field (crosses), or an independent draw (context), each with
 * its own Zipf-like law over its ids (see {@link FieldSpec}). Every id {@code x} of field {@code f}
 * has a click effect {@code a_f(x)} and a conversion effect {@code b_f(x) = ρ·a_f(x) +
 * sqrt(1-ρ²)·e_f(x)}, with {@code a, e} uniform with standard deviation {@code σ/sqrt(F)} (σ the
 * feature strength, F the number of fields); a multi-valued field contributes the weighted mean of
 * its ids' effects. A confounder {@code z_t} enters both logits with weight γ (the confounding
 * strength):
 *
 * <pre>
 *   z_t = sqrt(v)·s(x_t) + sqrt(1-v)·h_t      h_t ~ N(0, 1) per exposure, never written
 *   p_t = σ(c₀ + Σ_f a_f(x_tf) + γ·z_t + κ·π(x_t))   true click propensity  (true_propensity)
 *   q_t = σ(v₀ + Σ_f b_f(x_tf) + γ·z_t)              true post-click CVR    (true_cvr)
 *   o_t ~ Bernoulli(p_t),   r_t = o_t · Bernoulli(q_t)
 * </pre>
 *
 * where {@code v} is the confounder's visibility, {@code s(x) = Σ_f c_f(x_tf)} a third additive
 * effect of the features (each {@code c_f} uniform, from hash bits the other effects do not use),
 * standardized to mean 0 and variance 1 over the pilot exposures, so that {@code z} has variance 1
 * whatever {@code v} and the features carry the share {@code v} of it; and {@code π(x)} is the
 * standardized log-popularity {@code ln P(user) + ln P(item)} of the row's user and item under
 * their Zipf laws, weighted by the popularity skew κ: rarely shown users and items are then also
 * rarely clicked (the covariate shift of real logs, between the clicked rows and all exposures).
 * {@code p} is clamped to {@code [1e-6, 1]}. The intercepts {@code c₀, v₀} are calibrated by
 * bisection on 200,000 pilot exposures so that {@code E[p] = clickRate} and {@code E[p·q]/E[p] =
 * conversionRate}. Because z raises both p and q, the click space over-represents high-CVR
 * exposures ({@code E[q | o=1] > E[q]} when γ > 0) even among exposures with equal features when
 * {@code v < 1}: a model trained on clicks alone is biased on the exposure space, and no function
 * of the features recovers the hidden part {@code h}, which is what a debiased estimator has to
 * correct. With {@code v = 1} both p and q are functions of the features (selection on observables:
 * a propensity learned from the features is the true one). ρ adds selection on the observed
 * features. With {@code v = 0} and {@code κ = 0} the rows are those of the worlds before these two
 * knobs existed, bit for bit.
 *
 * <p><b>Determinism and scale.</b> Every random choice is a 64-bit hash (SplitMix64) of the seed, a
 * purpose and the row index (or the user, item or id), so row {@code t} is the same whatever the
 * batch size or the number of threads, and nothing grows with the number of rows: the world holds
 * only its popularity tables ({@code 8} bytes per id), and writing streams batch after batch.
 */
public final class SyntheticWorld {
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;
    private static final long PILOT_FIRST_ROW = 1L << 60;
    private static final int PILOT_ROWS = 200_000;

    private final WorldConfig config;
    private final ExposureLogSchema schema;
    private final FieldSpec[] specs;
    private final ZipfSampler[] samplers;
    private final long[] idSalt;
    private final long[] effectSalt;
    private final long[] lengthSalt;
    private final int[] sourceField;
    private final int[] order;
    private final int userField;
    private final int itemField;
    private final float effectScale;
    private final float rho;
    private final float rhoComplement;
    private final float gamma;
    private final float seenWeight;
    private final float hiddenWeight;
    private final float kappa;
    private final float[][] seenEffects;
    private final float[][] logPopularity;
    private float seenMean;
    private float seenInvSd;
    private float popularityMean;
    private float popularityInvSd;
    private final long zSalt;
    private final long clickSalt;
    private final long conversionSalt;
    private final float[][] clickEffects;
    private final float[][] cvrEffects;
    private float clickIntercept;
    private float cvrIntercept;

    private SyntheticWorld(WorldConfig config) {
        this.config = config;
        int n = config.fields().size();
        this.specs = config.fields().toArray(new FieldSpec[0]);
        this.samplers = new ZipfSampler[n];
        this.idSalt = new long[n];
        this.effectSalt = new long[n];
        this.lengthSalt = new long[n];
        this.sourceField = new int[n];
        long base = mix(config.seed() ^ 0x5DEE_CE66_DL);
        int user = -1;
        int item = -1;
        List<FeatureField> fields = new ArrayList<>();
        List<String> weighted = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            FieldSpec s = specs[f];
            idSalt[f] = mix(base + 4L * f + 1);
            effectSalt[f] = mix(base + 4L * f + 2);
            lengthSalt[f] = mix(base + 4L * f + 3);
            samplers[f] =
                    new ZipfSampler(s.cardinality(), s.zipfExponent(), mix(base + 4L * f + 4));
            user = s.kind() == FieldKind.USER_ID ? f : user;
            item = s.kind() == FieldKind.ITEM_ID ? f : item;
            fields.add(new FeatureField(s.name(), s.role(), s.cardinality(), s.multiValued()));
            if (s.multiValued()) {
                weighted.add(s.name());
            }
        }
        this.userField = user;
        this.itemField = item;
        List<Integer> first = new ArrayList<>();
        List<Integer> later = new ArrayList<>();
        List<Integer> crosses = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            FieldKind k = specs[f].kind();
            if (k == FieldKind.USER_ID || k == FieldKind.ITEM_ID) {
                first.add(f);
            } else if (k == FieldKind.CROSS) {
                crosses.add(f);
                sourceField[f] = indexOf(specs[f].source());
            } else {
                later.add(f);
            }
        }
        first.addAll(later);
        first.addAll(crosses);
        this.order = first.stream().mapToInt(Integer::intValue).toArray();
        this.effectScale = (float) (config.featureStrength() / Math.sqrt(n) * Math.sqrt(3.0));
        this.rho = (float) config.featureCorrelation();
        this.rhoComplement = (float) Math.sqrt(1.0 - rho * (double) rho);
        this.gamma = (float) config.confounding();
        this.seenWeight = (float) Math.sqrt(config.confounderVisibility());
        this.hiddenWeight = (float) Math.sqrt(1.0 - config.confounderVisibility());
        this.kappa = (float) config.popularitySkew();
        this.zSalt = mix(base - 1);
        this.clickSalt = mix(base - 2);
        this.conversionSalt = mix(base - 3);
        this.schema =
                new ExposureLogSchema(new FeatureSchema(fields, true, true), Set.copyOf(weighted));
        // small fields: the same hashed effects, tabulated (a lookup in cache beats a hash)
        this.clickEffects = new float[n][];
        this.cvrEffects = new float[n][];
        this.seenEffects = new float[n][];
        for (int f = 0; f < n; f++) {
            int c = specs[f].cardinality();
            if (c <= EFFECT_TABLE_LIMIT) {
                clickEffects[f] = new float[c];
                cvrEffects[f] = new float[c];
                seenEffects[f] = new float[c];
                for (int id = 0; id < c; id++) {
                    long h = mix(effectSalt[f] + id * GOLDEN);
                    clickEffects[f][id] = clickEffect(h);
                    cvrEffects[f][id] = cvrEffect(h);
                    seenEffects[f][id] = seenEffect(h);
                }
            }
        }
        this.logPopularity = new float[n][];
        if (kappa != 0f) {
            for (int f : new int[] {userField, itemField}) {
                if (f >= 0 && specs[f].cardinality() <= ZipfSampler.ALIAS_LIMIT) {
                    float[] t = new float[specs[f].cardinality()];
                    for (int id = 0; id < t.length; id++) {
                        t[id] = (float) samplers[f].logWeight(id);
                    }
                    logPopularity[f] = t;
                }
            }
        }
    }

    /**
     * The id's share of the seen confounder s(x), before standardization: uniform on [-1, 1], from
     * bits of the effect hash that neither the click nor the conversion effect uses.
     */
    private static float seenEffect(long h) {
        return 2f * (((h >>> 24) & 0xFFFFL) * 0x1.0p-16f) - 1f;
    }

    private static final int EFFECT_TABLE_LIMIT = 1 << 16;

    private float clickEffect(long h) {
        return effectScale * (2f * ((h >>> 40) * 0x1.0p-24f) - 1f);
    }

    private float cvrEffect(long h) {
        float e = effectScale * (2f * ((h & 0xFF_FFFFL) * 0x1.0p-24f) - 1f);
        return rho * clickEffect(h) + rhoComplement * e;
    }

    /** Builds the world and calibrates its intercepts to the target rates. */
    public static SyntheticWorld build(WorldConfig config) {
        SyntheticWorld w = new SyntheticWorld(config);
        w.calibrate();
        return w;
    }

    public WorldConfig config() {
        return config;
    }

    /** The schema of the generated log: every field, a group (the user) and the ground truth. */
    public ExposureLogSchema schema() {
        return schema;
    }

    /** The calibrated click intercept c₀. */
    public double clickIntercept() {
        return clickIntercept;
    }

    /** The calibrated conversion intercept v₀. */
    public double conversionIntercept() {
        return cvrIntercept;
    }

    /**
     * The popularity rank of id {@code id} of field {@code field}: 0 for the id shown (drawn) most
     * often, {@code cardinality - 1} for the rarest. A deterministic function of the world, so a
     * study can bucket the rows of any file drawn from it by user or item popularity.
     *
     * @throws IllegalArgumentException for an unknown field or an id out of range
     */
    public int popularityRank(String field, int id) {
        int f = indexOf(field);
        if (id < 0 || id >= specs[f].cardinality()) {
            throw new IllegalArgumentException(
                    "Field '"
                            + field
                            + "': id "
                            + id
                            + " is outside [0, "
                            + specs[f].cardinality()
                            + ")");
        }
        return samplers[f].rank(id);
    }

    /**
     * The popularity bucket of id {@code id} of field {@code field}, buckets of equal exposure
     * mass: bucket {@code b} holds the ids whose more popular ids together draw a share in {@code
     * [b/B, (b+1)/B)} of the exposures. Bucket 0 is the head (the few ids that most rows show),
     * bucket {@code B-1} the long tail of rarely shown ids.
     */
    public int popularityBucket(String field, int id, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be at least 1, got " + buckets);
        }
        int rank = popularityRank(field, id);
        double before = samplers[indexOf(field)].massBefore(rank);
        return (int) Math.min(buckets - 1, Math.floor(before * buckets));
    }

    /** The provenance of rows {@code [firstRow, firstRow + rows)} of this world. */
    public WorldProvenance provenance(long firstRow, long rows) {
        return WorldProvenance.of(config, firstRow, rows);
    }

    private int indexOf(String name) {
        for (int f = 0; f < specs.length; f++) {
            if (specs[f].name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("Unknown field " + name);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    private static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** Fills the features and the intercept-free logits of rows {@code [first, first + n)}. */
    private void features(long first, int n, Chunk c) {
        draw(first, n, c);
        confound(first, n, c);
    }

    /**
     * Fills the features, their effects on both logits, and the raw seen confounder and
     * log-popularity of rows {@code [first, first + n)}.
     */
    private void draw(long first, int n, Chunk c) {
        float[] cx = c.clickLogit;
        float[] vx = c.cvrLogit;
        java.util.Arrays.fill(cx, 0, n, 0f);
        java.util.Arrays.fill(vx, 0, n, 0f);
        if (seenWeight != 0f) {
            java.util.Arrays.fill(c.seen, 0, n, 0f);
        }
        for (int f : order) {
            FieldSpec s = specs[f];
            ZipfSampler z = samplers[f];
            long salt = idSalt[f];
            if (!s.multiValued()) {
                int[] out = c.ids[f];
                switch (s.kind()) {
                    case USER_ID, ITEM_ID, CONTEXT -> {
                        for (int r = 0; r < n; r++) {
                            out[r] = z.sample(mix(salt + (first + r) * GOLDEN));
                        }
                    }
                    case USER_ATTRIBUTE, ITEM_ATTRIBUTE -> {
                        int[] key =
                                c.ids[s.kind() == FieldKind.USER_ATTRIBUTE ? userField : itemField];
                        for (int r = 0; r < n; r++) {
                            out[r] = z.sample(mix(salt + key[r] * GOLDEN));
                        }
                    }
                    case CROSS -> {
                        int[] users = c.ids[userField];
                        int[] src = c.ids[sourceField[f]];
                        for (int r = 0; r < n; r++) {
                            out[r] = z.sample(mix(salt + mix(((long) users[r] << 32) | src[r])));
                        }
                    }
                }
                addEffects(f, out, n, cx, vx);
                if (seenWeight != 0f) {
                    addSeen(f, out, n, c.seen);
                }
            } else {
                lists(f, first, n, c);
            }
        }
        if (kappa != 0f) {
            for (int r = 0; r < n; r++) {
                c.popularity[r] =
                        logPopularity(userField, c.ids[userField][r])
                                + (itemField >= 0
                                        ? logPopularity(itemField, c.ids[itemField][r])
                                        : 0f);
            }
        }
    }

    private float logPopularity(int f, int id) {
        float[] t = logPopularity[f];
        return t != null ? t[id] : (float) samplers[f].logWeight(id);
    }

    /**
     * Adds the confounder {@code γ·z} to both logits and the popularity skew to the click logit,
     * with {@code z = sqrt(v)·s + sqrt(1-v)·h} (s the standardized seen part, h the hidden draw).
     */
    private void confound(long first, int n, Chunk c) {
        float[] cx = c.clickLogit;
        float[] vx = c.cvrLogit;
        if (gamma != 0f) {
            for (int r = 0; r < n; r++) {
                float zt = gaussian(mix(zSalt + (first + r) * GOLDEN));
                if (seenWeight != 0f) {
                    zt = seenWeight * ((c.seen[r] - seenMean) * seenInvSd) + hiddenWeight * zt;
                }
                cx[r] += gamma * zt;
                vx[r] += gamma * zt;
            }
        }
        if (kappa != 0f) {
            for (int r = 0; r < n; r++) {
                cx[r] += kappa * ((c.popularity[r] - popularityMean) * popularityInvSd);
            }
        }
    }

    private void addSeen(int f, int[] ids, int n, float[] seen) {
        float[] t = seenEffects[f];
        for (int r = 0; r < n; r++) {
            seen[r] += t != null ? t[ids[r]] : seenEffect(mix(effectSalt[f] + ids[r] * GOLDEN));
        }
    }

    private void addEffects(int f, int[] ids, int n, float[] cx, float[] vx) {
        float[] ct = clickEffects[f];
        if (ct != null) {
            float[] vt = cvrEffects[f];
            for (int r = 0; r < n; r++) {
                cx[r] += ct[ids[r]];
                vx[r] += vt[ids[r]];
            }
            return;
        }
        long salt = effectSalt[f];
        for (int r = 0; r < n; r++) {
            long h = mix(salt + ids[r] * GOLDEN);
            cx[r] += clickEffect(h);
            vx[r] += cvrEffect(h);
        }
    }

    private void lists(int f, long first, int n, Chunk c) {
        FieldSpec s = specs[f];
        ZipfSampler z = samplers[f];
        int[] offsets = c.listOffsets[f];
        int[] users = c.ids[userField];
        int[] items = itemField >= 0 ? c.ids[itemField] : null;
        int[] src = s.kind() == FieldKind.CROSS ? c.ids[sourceField[f]] : null;
        int max = s.maxListLength();
        long salt = idSalt[f];
        long lsalt = lengthSalt[f];
        long esalt = effectSalt[f];
        int pos = 0;
        offsets[0] = 0;
        for (int r = 0; r < n; r++) {
            long key =
                    switch (s.kind()) {
                        case USER_ATTRIBUTE -> users[r];
                        case ITEM_ATTRIBUTE -> items[r];
                        case CROSS -> mix(((long) users[r] << 32) | src[r]);
                        default -> first + r;
                    };
            long lh = mix(lsalt + key * GOLDEN);
            int len = 1 + (int) (((lh >>> 32) * max) >>> 32);
            c.ensureList(f, pos + len);
            int[] ids = c.listIds[f];
            float[] w = c.listWeights[f];
            float sa = 0f;
            float sb = 0f;
            float ss = 0f;
            float sw = 0f;
            for (int j = 0; j < len; j++) {
                long h = mix(salt + key * GOLDEN + (j + 1) * 0xD1B5_4A32_D192_ED03L);
                int id = z.sample(h);
                float weight = 0.5f + 1.5f * ((mix(h) >>> 40) * 0x1.0p-24f);
                long eh = mix(esalt + id * GOLDEN);
                ids[pos + j] = id;
                w[pos + j] = weight;
                sa += weight * clickEffect(eh);
                sb += weight * cvrEffect(eh);
                ss += weight * seenEffect(eh);
                sw += weight;
            }
            float norm = 1f / Math.max(1f, sw);
            c.clickLogit[r] += sa * norm;
            c.cvrLogit[r] += sb * norm;
            if (seenWeight != 0f) {
                c.seen[r] += ss * norm;
            }
            pos += len;
            offsets[r + 1] = pos;
        }
    }

    /** A standard normal from 48 bits (Box-Muller, two 24-bit uniforms; |z| ≤ 5.8). */
    private static float gaussian(long h) {
        double u1 = ((h >>> 40) + 1) * 0x1.0p-24;
        double u2 = (h & 0xFF_FFFFL) * 0x1.0p-24;
        return (float) (Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
    }

    /** Generates rows {@code [first, first + n)} into {@code c}. */
    void generate(long first, int n, Chunk c) {
        features(first, n, c);
        int[] users = c.ids[userField];
        long clicks = 0;
        long conversions = 0;
        float c0 = clickIntercept;
        float v0 = cvrIntercept;
        for (int r = 0; r < n; r++) {
            float p = Math.max(1e-6f, sigmoid(c0 + c.clickLogit[r]));
            float q = sigmoid(v0 + c.cvrLogit[r]);
            long h = mix(clickSalt + (first + r) * GOLDEN);
            int o = ((h >>> 40) * 0x1.0p-24f) < p ? 1 : 0;
            int y = o == 1 && ((h & 0xFF_FFFFL) * 0x1.0p-24f) < q ? 1 : 0;
            c.click[r] = (byte) o;
            c.conversion[r] = (byte) y;
            c.truePropensity[r] = p;
            c.trueCvr[r] = q;
            c.group[r] = users[r];
            clicks += o;
            conversions += y;
        }
        c.n = n;
        c.clicks = clicks;
        c.conversions = conversions;
    }

    private void calibrate() {
        Chunk c = new Chunk(specs, PILOT_ROWS);
        draw(PILOT_FIRST_ROW, PILOT_ROWS, c);
        float[] ms = standardize(c.seen, seenWeight != 0f);
        seenMean = ms[0];
        seenInvSd = ms[1];
        float[] mp = standardize(c.popularity, kappa != 0f);
        popularityMean = mp[0];
        popularityInvSd = mp[1];
        confound(PILOT_FIRST_ROW, PILOT_ROWS, c);
        float[] cx = c.clickLogit;
        float[] vx = c.cvrLogit;
        double lo = -40;
        double hi = 40;
        for (int it = 0; it < 60; it++) {
            double mid = (lo + hi) / 2;
            double sum = 0;
            for (int r = 0; r < PILOT_ROWS; r++) {
                sum += Math.max(1e-6f, sigmoid((float) mid + cx[r]));
            }
            if (sum / PILOT_ROWS > config.clickRate()) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        clickIntercept = (float) ((lo + hi) / 2);
        float[] p = new float[PILOT_ROWS];
        double sp = 0;
        for (int r = 0; r < PILOT_ROWS; r++) {
            p[r] = Math.max(1e-6f, sigmoid(clickIntercept + cx[r]));
            sp += p[r];
        }
        lo = -40;
        hi = 40;
        for (int it = 0; it < 60; it++) {
            double mid = (lo + hi) / 2;
            double spq = 0;
            for (int r = 0; r < PILOT_ROWS; r++) {
                spq += p[r] * sigmoid((float) mid + vx[r]);
            }
            if (spq / sp > config.conversionRate()) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        cvrIntercept = (float) ((lo + hi) / 2);
    }

    /** The mean and inverse standard deviation of the pilot's {@code x} (0 and 1 when unused). */
    private static float[] standardize(float[] x, boolean used) {
        if (!used) {
            return new float[] {0f, 1f};
        }
        double sum = 0;
        double sq = 0;
        for (int r = 0; r < PILOT_ROWS; r++) {
            sum += x[r];
            sq += x[r] * (double) x[r];
        }
        double mean = sum / PILOT_ROWS;
        double var = Math.max(0, sq / PILOT_ROWS - mean * mean);
        // a constant (a world of one user and one item) carries nothing: keep it at 0
        return new float[] {(float) mean, var > 1e-12 ? (float) (1 / Math.sqrt(var)) : 0f};
    }

    /** Nodes of the quadrature over the hidden confounder: a uniform grid on [-8, 8]. */
    private static final int ORACLE_NODES = 321;

    private static final int ORACLE_CHUNK_ROWS = 65_536;

    /**
     * The two oracle conversion probabilities of rows {@code [firstRow, firstRow + rows)} (see
     * {@link OracleCvr}): the expectations over the hidden confounder of the true CVR, and of the
     * true CVR weighted by the click propensity, given each row's features. Computed by the
     * trapezoidal rule on 321 nodes over [-8, 8] (the integrands are smooth and the normal density
     * decays fast, so its error is far below float precision), in double precision.
     *
     * @throws IllegalArgumentException when {@code firstRow} or {@code rows} is negative
     */
    public OracleCvr oracleCvr(long firstRow, int rows) {
        if (firstRow < 0 || rows < 0) {
            throw new IllegalArgumentException(
                    "Oracle rows [" + firstRow + ", " + firstRow + " + " + rows + ") are negative");
        }
        double hiddenScale = gamma * (double) hiddenWeight;
        double[] shift = new double[ORACLE_NODES];
        double[] weight = new double[ORACLE_NODES];
        double total = 0;
        for (int k = 0; k < ORACLE_NODES; k++) {
            double h = -8.0 + 16.0 * k / (ORACLE_NODES - 1);
            shift[k] = hiddenScale * h;
            weight[k] = Math.exp(-0.5 * h * h);
            total += weight[k];
        }
        for (int k = 0; k < ORACLE_NODES; k++) {
            weight[k] /= total;
        }
        float[] givenFeatures = new float[rows];
        float[] givenClick = new float[rows];
        Chunk c = new Chunk(specs, Math.min(rows, ORACLE_CHUNK_ROWS));
        for (int done = 0; done < rows; ) {
            int n = Math.min(c.capacity, rows - done);
            draw(firstRow + done, n, c);
            for (int r = 0; r < n; r++) {
                double seen =
                        seenWeight != 0f
                                ? gamma * seenWeight * ((c.seen[r] - seenMean) * seenInvSd)
                                : 0;
                double a =
                        clickIntercept
                                + c.clickLogit[r]
                                + seen
                                + (kappa != 0f
                                        ? kappa
                                                * ((c.popularity[r] - popularityMean)
                                                        * popularityInvSd)
                                        : 0);
                double b = cvrIntercept + c.cvrLogit[r] + seen;
                if (hiddenScale == 0) {
                    givenFeatures[done + r] = (float) logistic(b);
                    givenClick[done + r] = givenFeatures[done + r];
                    continue;
                }
                double q = 0;
                double pq = 0;
                double p = 0;
                for (int k = 0; k < ORACLE_NODES; k++) {
                    double pk = Math.max(1e-6, logistic(a + shift[k]));
                    double qk = logistic(b + shift[k]);
                    q += weight[k] * qk;
                    pq += weight[k] * pk * qk;
                    p += weight[k] * pk;
                }
                givenFeatures[done + r] = (float) q;
                givenClick[done + r] = (float) (pq / p);
            }
            done += n;
        }
        return new OracleCvr(givenFeatures, givenClick);
    }

    private static double logistic(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** An {@link org.causalcvr.api.data.ExposureSource} generating {@code rows} rows on the fly. */
    public SyntheticExposureSource source(long rows, int batchRows) {
        return new SyntheticExposureSource(this, rows, batchRows);
    }

    FieldSpec[] specs() {
        return specs;
    }

    /**
     * What a {@link #write} produced.
     *
     * @param path the committed file
     * @param rows rows written
     * @param clicks rows with a click
     * @param conversions rows with a conversion
     * @param bytes file size
     * @param seconds wall time, generation and writing together, commit included
     * @param commitSeconds the part spent committing (forcing the file to disk, renaming)
     */
    public record WriteResult(
            Path path,
            long rows,
            long clicks,
            long conversions,
            long bytes,
            double seconds,
            double commitSeconds) {
        public double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /** {@link #write(Path, long, BufferAllocator, IpcFormat, int, int)} with defaults. */
    public WriteResult write(Path target, long rows, Allocators memory) {
        return write(
                target,
                rows,
                memory.root(),
                IpcFormat.FILE,
                ExposureWriter.DEFAULT_BATCH_ROWS,
                Runtime.getRuntime().availableProcessors());
    }

    /** An Arrow IPC file of {@code batchRows}-row batches, generated by {@code threads} threads. */
    public WriteResult write(
            Path target, long rows, Allocators memory, int batchRows, int threads) {
        return write(target, rows, memory.root(), IpcFormat.FILE, batchRows, threads);
    }

    /**
     * Generates rows {@code [0, rows)} and writes them atomically to {@code target}, streaming:
     * {@code threads} workers generate batches into reused arrays while this thread copies each, in
     * order, into Arrow vectors and writes it. The file is the same for every {@code threads}.
     */
    public WriteResult write(
            Path target,
            long rows,
            BufferAllocator parent,
            IpcFormat format,
            int batchRows,
            int threads) {
        return write(target, 0, rows, parent, format, batchRows, threads, done -> {});
    }

    /**
     * Rows {@code [firstRow, firstRow + rows)} written as an Arrow IPC file with the default batch
     * size and one thread per core; {@code progress} receives the rows written so far.
     */
    public WriteResult write(
            Path target,
            long firstRow,
            long rows,
            Allocators memory,
            java.util.function.LongConsumer progress) {
        return write(
                target,
                firstRow,
                rows,
                memory.root(),
                IpcFormat.FILE,
                ExposureWriter.DEFAULT_BATCH_ROWS,
                Runtime.getRuntime().availableProcessors(),
                progress);
    }

    /**
     * Generates rows {@code [firstRow, firstRow + rows)} of this world and writes them atomically
     * to {@code target}. Disjoint row ranges of one world are independent samples of the same
     * population (a train and a test set); {@code progress} receives the number of rows written so
     * far after every batch. The file's schema metadata records the {@link WorldProvenance} (seed,
     * parameters, row range), which {@link SplitCheck} compares between a train and a test file.
     */
    public WriteResult write(
            Path target,
            long firstRow,
            long rows,
            BufferAllocator parent,
            IpcFormat format,
            int batchRows,
            int threads,
            java.util.function.LongConsumer progress) {
        if (firstRow < 0 || firstRow >= PILOT_FIRST_ROW - rows) {
            throw new IllegalArgumentException(
                    "firstRow must be in [0, 2^60 - rows), got " + firstRow);
        }
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be at least 1, got " + rows);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        long start = System.nanoTime();
        long clicks = 0;
        long conversions = 0;
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, "cvr-generate");
                            t.setDaemon(true);
                            return t;
                        });
        try (ExposureWriter out =
                ExposureWriter.create(
                        target,
                        schema,
                        parent,
                        format,
                        batchRows,
                        provenance(firstRow, rows).toMetadata())) {
            BatchBuilder b = out.builder();
            ArrayDeque<Chunk> free = new ArrayDeque<>();
            for (int i = 0; i < threads + 2; i++) {
                free.add(new Chunk(specs, batchRows));
            }
            ArrayDeque<Future<Chunk>> inFlight = new ArrayDeque<>();
            long next = 0;
            while (next < rows || !inFlight.isEmpty()) {
                while (next < rows && inFlight.size() < threads + 1) {
                    Chunk c = free.poll();
                    long first = firstRow + next;
                    int n = (int) Math.min(batchRows, rows - next);
                    inFlight.add(
                            pool.submit(
                                    () -> {
                                        generate(first, n, c);
                                        return c;
                                    }));
                    next += n;
                }
                Chunk c = inFlight.poll().get();
                put(b, c);
                clicks += c.clicks;
                conversions += c.conversions;
                free.add(c);
                progress.accept(out.rowsWritten());
            }
            long commitStart = System.nanoTime();
            Path done = out.commit();
            long end = System.nanoTime();
            return new WriteResult(
                    done,
                    rows,
                    clicks,
                    conversions,
                    Files.size(done),
                    (end - start) / 1e9,
                    (end - commitStart) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CvrException("Interrupted while generating " + target, e);
        } catch (ExecutionException e) {
            throw new CvrException(
                    "Generating " + target + " failed: " + e.getCause(), e.getCause());
        } catch (java.io.IOException e) {
            throw new CvrException("Cannot stat " + target + ": " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    private void put(BatchBuilder b, Chunk c) {
        int n = c.n;
        b.putLabels(c.click, c.conversion, n);
        for (int f = 0; f < specs.length; f++) {
            if (specs[f].multiValued()) {
                b.putLists(f, c.listOffsets[f], c.listIds[f], c.listWeights[f], n);
            } else {
                b.putIds(f, c.ids[f], n);
            }
        }
        b.putGroups(c.group, n);
        b.putTruth(c.truePropensity, c.trueCvr, n);
        b.setRowCount(n);
        b.flush();
    }
}
