package dev.stepwise.orm;

import ai.djl.ndarray.NDArray;
import dev.stepwise.prm.train.RewardObjective;
import dev.stepwise.prm.train.StepLosses;
import java.util.List;

/** Training objectives of an outcome reward head; all losses come from logits r, never from probabilities. */
public final class OutcomeLosses {

    private OutcomeLosses() {}

    /** Pointwise binary cross-entropy of sigmoid(r) at the last token against the outcome label. */
    public static RewardObjective<OutcomeExample> pointwise() {
        return new RewardObjective<>() {
            @Override
            public List<long[]> sequences(OutcomeExample example) {
                return List.of(example.inputIds());
            }

            @Override
            public int[] scorePositions(OutcomeExample example, int sequenceIndex) {
                return new int[] {example.inputIds().length - 1};
            }

            @Override
            public int labelCount(OutcomeExample example) {
                return 1;
            }

            @Override
            public NDArray lossSum(NDArray logits, List<OutcomeExample> batch) {
                float[] labels = new float[batch.size()];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = batch.get(i).outcomeLabel();
                }
                return StepLosses.binaryCrossEntropySum(logits, logits.getManager().create(labels));
            }
        };
    }

    /**
     * Pairwise Bradley–Terry loss per pair, −log σ(r_chosen − r_rejected − margin) + c·(r_chosen + r_rejected)²,
     * where the second term (c = {@code centeringCoefficient}, 0 to disable) keeps rewards centred on zero.
     *
     * @throws IllegalArgumentException when the coefficient is negative or not finite
     */
    public static RewardObjective<PreferencePair> bradleyTerry(double centeringCoefficient) {
        if (!(centeringCoefficient >= 0) || !Double.isFinite(centeringCoefficient)) {
            throw new IllegalArgumentException(
                    "centering coefficient must be finite and at least 0, found " + centeringCoefficient);
        }
        return new RewardObjective<>() {
            @Override
            public List<long[]> sequences(PreferencePair pair) {
                return List.of(pair.chosen(), pair.rejected());
            }

            @Override
            public int[] scorePositions(PreferencePair pair, int sequenceIndex) {
                return new int[] {(sequenceIndex == 0 ? pair.chosen() : pair.rejected()).length - 1};
            }

            @Override
            public int labelCount(PreferencePair pair) {
                return 1;
            }

            @Override
            public NDArray lossSum(NDArray logits, List<PreferencePair> batch) {
                float[] margins = new float[batch.size()];
                for (int i = 0; i < margins.length; i++) {
                    margins[i] = batch.get(i).margin();
                }
                NDArray pairs = logits.reshape(batch.size(), 2);
                return bradleyTerrySum(pairs.get(":, 0"), pairs.get(":, 1"),
                        logits.getManager().create(margins), centeringCoefficient);
            }
        };
    }

    /**
     * Sums the Bradley–Terry loss over pairs; −log σ(x) is computed as max(−x, 0) + log(1 + exp(−|x|)).
     *
     * @param chosen (N) logits of the chosen answers
     * @param rejected (N) logits of the rejected answers
     * @param margins (N) margins
     */
    public static NDArray bradleyTerrySum(NDArray chosen, NDArray rejected, NDArray margins,
            double centeringCoefficient) {
        NDArray x = chosen.sub(rejected).sub(margins);
        NDArray loss = x.neg().maximum(0f).add(x.abs().neg().exp().add(1f).log()).sum();
        if (centeringCoefficient > 0) {
            loss = loss.add(chosen.add(rejected).square().sum().mul((float) centeringCoefficient));
        }
        return loss;
    }
}
