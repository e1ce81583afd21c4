package dev.stepwise.serve.search;

import dev.stepwise.serve.search.internal.AdaptiveSearch;
import dev.stepwise.serve.search.internal.BeamSearch;
import dev.stepwise.serve.search.internal.BestOfNSearch;
import dev.stepwise.serve.search.internal.DiverseTreeSearch;
import dev.stepwise.serve.search.internal.GreedySearch;

/** Builds strategies from their specifications. */
public final class SearchStrategies {

    private SearchStrategies() {}

    /**
     * Returns the strategy that {@code spec} describes, calling the clients in {@code context}.
     *
     * @throws IllegalArgumentException when the spec needs an ORM and {@code context} has none
     */
    public static SearchStrategy create(StrategySpec spec, SearchContext context) {
        if (spec instanceof StrategySpec.BestOfN bestOfN) {
            return new BestOfNSearch(context, bestOfN.config());
        }
        if (spec instanceof StrategySpec.Beam beam) {
            return new BeamSearch(context, beam.config());
        }
        if (spec instanceof StrategySpec.DiverseTree tree) {
            return new DiverseTreeSearch(context, tree.config());
        }
        if (spec instanceof StrategySpec.Adaptive adaptive) {
            return new AdaptiveSearch(context, adaptive.config());
        }
        return new GreedySearch(context);
    }

    public static SearchStrategy greedy(SearchContext context) {
        return create(new StrategySpec.Greedy(), context);
    }

    public static SearchStrategy bestOfN(SearchContext context, BestOfNConfig config) {
        return create(new StrategySpec.BestOfN(config), context);
    }

    public static SearchStrategy beam(SearchContext context, BeamConfig config) {
        return create(new StrategySpec.Beam(config), context);
    }

    public static SearchStrategy adaptive(SearchContext context, AdaptiveConfig config) {
        return create(new StrategySpec.Adaptive(config), context);
    }
}
