package org.causalcvr.backend.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.Optional;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.backend.djl.data.FieldLayout;

/**
 * The matrix-factorisation tower of preset {@code mf}: the logit of a (user, item) pair is
 *
 * <pre>
 *   logit = ⟨p_u, q_i⟩ + b_u + b_i + b
 * </pre>
 *
 * the backbone of the rating-debiasing literature (Koren et al. 2009; every method of Ha et al.,
 * NeurIPS 2024, table 2). The user's and the item's rows of the tower's embedding table carry the
 * factors and the biases: of a row of width d, the first d − 1 values are the factors (p_u or q_i,
 * rank d − 1) and the last is the bias (b_u or b_i). The tower's only own parameter is the global
 * bias b. Other fields are not read. Which table the rows come from is the tower's embedding group,
 * so an estimator's shared or separate embeddings apply as they do to the MLP towers.
 *
 * @param userField the single-valued field whose ids are the users
 * @param itemField the single-valued field whose ids are the items
 */
public record MatrixFactorisation(String userField, String itemField) {

    /** The default field names, tried before the first field of role USER or ITEM. */
    public static final String DEFAULT_USER = "user";

    public static final String DEFAULT_ITEM = "item";

    /**
     * The user and item fields of {@code schema}: the fields named {@code user} and {@code item}
     * when the schema has them; otherwise, for a name left at its default, the first single-valued
     * field of role USER (or ITEM). An explicitly named field that is missing or multi-valued
     * fails.
     */
    public static MatrixFactorisation resolve(FeatureSchema schema, String user, String item) {
        String u = field(schema, user, DEFAULT_USER, FieldRole.USER, "mf-user-field");
        String i = field(schema, item, DEFAULT_ITEM, FieldRole.ITEM, "mf-item-field");
        if (u.equals(i)) {
            throw new ConfigException(
                    "Config keys 'mf-user-field' and 'mf-item-field' both name field '"
                            + u
                            + "'; a matrix factorisation needs two fields");
        }
        return new MatrixFactorisation(u, i);
    }

    private static String field(
            FeatureSchema schema, String name, String defaultName, FieldRole role, String key) {
        Optional<FeatureField> named = schema.find(name);
        if (named.isPresent()) {
            if (named.get().multiValued()) {
                throw new ConfigException(
                        "Config key '"
                                + key
                                + "' = '"
                                + name
                                + "' names a multi-valued field; a matrix factorisation needs"
                                + " one id per row");
            }
            return name;
        }
        if (name.equals(defaultName)) {
            for (FeatureField f : schema.fields()) {
                if (f.role() == role && !f.multiValued()) {
                    return f.name();
                }
            }
        }
        throw new ConfigException(
                "Config key '"
                        + key
                        + "' = '"
                        + name
                        + "' is not a single-valued field of the data; fields: "
                        + schema.names());
    }

    /** Where the tower reads its two fields: blocks of width d in the network's input. */
    Blocks blocks(FieldLayout layout, int embeddingDim) {
        if (embeddingDim < 2) {
            throw new ConfigException(
                    "Preset mf needs embedding-dim >= 2 (factors of width d − 1 and a bias); got "
                            + embeddingDim);
        }
        return new Blocks(block(layout, userField), block(layout, itemField), embeddingDim);
    }

    private static int block(FieldLayout layout, String name) {
        int f = layout.schema().indexOf(name);
        int[] singles = layout.singleFields();
        for (int k = 0; k < singles.length; k++) {
            if (singles[k] == f) {
                return k;
            }
        }
        throw new ConfigException("Field '" + name + "' is multi-valued; preset mf needs one id");
    }

    /**
     * The user's and the item's block among the network's input columns (single-valued fields in
     * schema order, {@code d} columns each).
     */
    public record Blocks(int user, int item, int dim) {
        /** The logits, shape (n), of input rows {@code x} (n, fields·d) and global bias (1). */
        NDArray logits(NDArray x, NDArray globalBias) {
            int d = dim;
            long u = (long) user * d;
            long i = (long) item * d;
            NDArray p = x.get(new NDIndex(":, {}:{}", u, u + d - 1));
            NDArray q = x.get(new NDIndex(":, {}:{}", i, i + d - 1));
            NDArray bu = x.get(new NDIndex(":, {}", u + d - 1));
            NDArray bi = x.get(new NDIndex(":, {}", i + d - 1));
            return p.mul(q).sum(new int[] {1}).add(bu).add(bi).add(globalBias);
        }
    }
}
