package org.causalcvr.backend.djl.step;

/**
 * The Adam step size of each training step: a base rate, a factor per epoch, a linear warm-up at
 * the start of each stage and a linear anneal over it. A step at {@link StepPlace} (epoch e, batch
 * b of the stage's B) moves with
 *
 * <pre>  rate · decay^e · min(1, (b + 1) / ⌈warmup·B⌉) · (1 − (1 − end) · b/B)</pre>
 *
 * <p>Every factor is a function of the step's place alone, so that a run resumed from a checkpoint
 * steps exactly as an uninterrupted one. Warm-up and anneal need B; a stage of unknown length
 * ({@link StepPlace#batchesInStage()} 0) is refused by the caller when either is set.
 *
 * @param rate the step size before any factor
 * @param decayPerEpoch factor applied once per completed epoch of the stage, in (0, 1]
 * @param end share of the rate left after the stage's last batch, in [0, 1] (1: no anneal). A small
 *     last step leaves the parameters a one-pass run ends on with less of the last batches'
 *     gradient noise
 * @param warmup share of the stage's batches over which the rate rises linearly from
 *     rate/⌈warmup·B⌉ to rate, in [0, 1) (0: none). Small early steps keep the first batches, seen
 *     while Adam's moments and the towers' inputs are still forming, from setting the course of the
 *     run
 */
public record StepSizeSchedule(double rate, double decayPerEpoch, double end, double warmup) {

    public StepSizeSchedule {
        if (!(rate >= 0 && Double.isFinite(rate))) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0: " + rate);
        }
        if (!(decayPerEpoch > 0 && decayPerEpoch <= 1)) {
            throw new IllegalArgumentException(
                    "learning-rate decay must be in (0, 1]: " + decayPerEpoch);
        }
        if (!(end >= 0 && end <= 1)) {
            throw new IllegalArgumentException("learning-rate end must be in [0, 1]: " + end);
        }
        if (!(warmup >= 0 && warmup < 1)) {
            throw new IllegalArgumentException(
                    "learning-rate warm-up must be in [0, 1): " + warmup);
        }
    }

    /** A rate constant over every step. */
    public static StepSizeSchedule constant(double rate) {
        return new StepSizeSchedule(rate, 1.0, 1.0, 0.0);
    }

    /** Whether the rate changes within an epoch (and so needs the stage's length). */
    public boolean changesWithinStage() {
        return end != 1.0 || warmup != 0.0;
    }

    /** The step size of a step at {@code place}. */
    public double at(StepPlace place) {
        double size = rate * Math.pow(decayPerEpoch, place.epoch());
        long batches = place.batchesInStage();
        if (batches > 0) {
            long warmupBatches = (long) Math.ceil(warmup * batches);
            if (place.batchInStage() < warmupBatches) {
                size *= (place.batchInStage() + 1.0) / warmupBatches;
            }
            size *= 1 - (1 - end) * place.stageProgress();
        }
        return size;
    }
}
