package org.causalcvr.data.arrow.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How the rows of a random (missing-at-random) set are shared out by a {@link
 * CoatConverter.Protocol}: all to the test set, or, for {@code 5-5-90}, shuffled with the seed and
 * cut into 5% appended to training, 5% validation and 90% test (the protocol of the rating
 * literature for Coat and Yahoo! R3, used here for every data set with a random set).
 *
 * @param extraTrain rows appended to the training file
 * @param validation the validation rows (empty for {@code mnar-train-mcar-test})
 * @param test the test rows
 */
record RandomSetSplit<T>(List<T> extraTrain, List<T> validation, List<T> test) {
    /** Splits {@code random} (left untouched) by {@code protocol} with {@code seed}; fold 1. */
    static <T> RandomSetSplit<T> of(List<T> random, CoatConverter.Protocol protocol, long seed) {
        return of(random, protocol, seed, 1);
    }

    /**
     * Splits {@code random} (left untouched) by {@code protocol} with {@code seed}. Fold 2 of
     * {@code 5-5-90} swaps the two 5% slices (the first validates, the second trains) and keeps the
     * 90% test slice: tuning on the mean of both folds validates on twice the ratings, and neither
     * fold reads a test rating.
     */
    static <T> RandomSetSplit<T> of(
            List<T> random, CoatConverter.Protocol protocol, long seed, int fold) {
        if (fold != 1 && fold != 2) {
            throw new IllegalArgumentException("fold = " + fold + " is neither 1 nor 2");
        }
        if (protocol != CoatConverter.Protocol.FIVE_FIVE_NINETY) {
            return new RandomSetSplit<>(List.of(), List.of(), random);
        }
        List<T> shuffled = new ArrayList<>(random);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int k = shuffled.size() - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            T t = shuffled.get(k);
            shuffled.set(k, shuffled.get(j));
            shuffled.set(j, t);
        }
        int five = (int) Math.round(shuffled.size() * 0.05);
        List<T> first = shuffled.subList(0, five);
        List<T> second = shuffled.subList(five, 2 * five);
        return new RandomSetSplit<>(
                fold == 1 ? first : second,
                fold == 1 ? second : first,
                shuffled.subList(2 * five, shuffled.size()));
    }
}
