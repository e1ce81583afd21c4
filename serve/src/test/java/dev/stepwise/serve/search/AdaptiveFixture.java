package dev.stepwise.serve.search;

import java.util.List;

/**
 * Three problems for adaptive search: greedy is right on the easy one, Best-of-2 finds the answer
 * to the hard one, and only beam search of width 3 finds the answer to the hardest.
 */
final class AdaptiveFixture {

    static final Problem EASY = new Problem("easy", "What is 1 + 1?", "2");
    static final Problem HARD = new Problem("hard", "What is 6 * 7?", "42");
    static final Problem HARDEST = new Problem("hardest", "What is 13 * 17?", "221");
    static final List<Problem> PROBLEMS = List.of(EASY, HARD, HARDEST);

    static final StrategySpec BEST_OF_2 =
            new StrategySpec.BestOfN(new BestOfNConfig(2, BestOfNConfig.Selection.PRM, StepAggregate.MIN));
    static final StrategySpec BEAM_3 = new StrategySpec.Beam(BeamConfig.beam(3, 1, 4));
    static final List<StrategySpec> LADDER = List.of(BEST_OF_2, BEAM_3);

    private AdaptiveFixture() {}

    static StepTreeScript script() {
        return new StepTreeScript()
                .problem(EASY.problem(), List.of("{0.9} One and one.", "{0.9} The answer is 2."))
                .problem(HARD.problem(),
                        List.of("{0.4} Six times seven is 36.", "{0.4} The answer is 36."),
                        List.of("{0.8} Six sevens.", "{0.8} The answer is 42."))
                .problem(HARDEST.problem(),
                        List.of("{0.3} Guess 200.", "{0.3} The answer is 200."),
                        List.of("{0.5} Try 210.", "{0.5} The answer is 210."),
                        List.of("{0.9} Split 17 into 10 and 7.", "{0.9} The answer is 221."));
    }

    static AdaptiveConfig config(double minStepScore, long computeBudget) {
        return new AdaptiveConfig(LADDER, new Thresholds(minStepScore, null), computeBudget);
    }
}
