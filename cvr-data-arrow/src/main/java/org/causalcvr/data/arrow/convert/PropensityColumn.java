package org.causalcvr.data.arrow.convert;

/**
 * An estimated propensity written into a rating study's reserved column {@code propensity} (read by
 * {@code propensity=column}): one value per exposure row, from what the row knows.
 */
public interface PropensityColumn {
    /**
     * The value written for a row.
     *
     * @param click 1 where the pair was rated (observed), else 0
     * @param rating the raw rating where clicked (1..levels), unused where not
     * @param conversion the binary label (rating ≥ threshold) where clicked, else 0
     * @return p̂(o=1 | what the row shows), in (0, 1]
     */
    float forRow(int click, int rating, int conversion);

    /** How the values were obtained, for the file's metadata and the conversion report. */
    String description();
}
