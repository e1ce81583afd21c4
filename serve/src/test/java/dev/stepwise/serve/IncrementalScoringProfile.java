package dev.stepwise.serve;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.core.model.Architecture;
import dev.stepwise.core.model.DecoderModel;
import dev.stepwise.core.model.KvCache;
import dev.stepwise.core.model.ModelConfig;
import dev.stepwise.core.tokenizer.TextTokenizer;
import dev.stepwise.dataset.demo.DemoTokenizer;
import dev.stepwise.prm.HeadKind;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.serve.internal.PrefixCache;
import dev.stepwise.serve.internal.RewardModelBackend;
import dev.stepwise.serve.internal.ScoringBackend.PrefixState;
import dev.stepwise.serve.internal.ScoringInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Splits the time of the scoring service's incremental path into its phases, in-process and without HTTP, on the
 * workload of {@code bench/search/run.sh}: a random 2-layer Llama PRM (hidden size 128) over the byte-level demo
 * tokenizer, 6 rounds of 16 candidates (4 beams × 4 expansions), steps of about 150 tokens. Each round is scored three
 * ways: full-prefix as one padded batch, incremental one item at a time (cache lookup, cache copy, forward, head,
 * cache insert, as the batcher did before batched extension), and incremental as one batched extension. Runs only
 * with {@code STEPWISE_BENCH_INCREMENTAL=1}; {@code bench/search/profile-incremental.sh} sets it.
 */
class IncrementalScoringProfile {

    private static final int ROUNDS = 6;
    private static final int BEAMS = 4;
    private static final int EXPANSIONS = 4;
    private static final int REPEATS = 3;
    private static final String PROBLEM = "A train leaves at 9:40 and travels 168 km at 84 km/h. When does it arrive?";
    private static final String FILLER = "we restate the quantities, apply the rate formula once more, and check"
            + " the arithmetic of the previous line before moving on";

    @TempDir
    Path dir;

    @Test
    void profileIncrementalPhases() throws Exception {
        assumeTrue("1".equals(System.getenv("STEPWISE_BENCH_INCREMENTAL")),
                "benchmark; run bench/search/profile-incremental.sh or set STEPWISE_BENCH_INCREMENTAL=1");
        DemoTokenizer.write(dir);
        ModelConfig config = ModelConfig.builder(Architecture.LLAMA).hiddenSize(128).intermediateSize(344)
                .numHiddenLayers(2).numAttentionHeads(4).numKeyValueHeads(2).vocabSize(DemoTokenizer.VOCAB_SIZE)
                .build();
        ModelCard card = new ModelCard(ModelCard.Task.PRM, HeadKind.SIGMOID, DemoTokenizer.STEP_SEPARATOR, "plain",
                "hard", 0.5, null, 2048);
        DecoderModel backbone = DecoderModel.randomInit(config, 5, Device.cpu());
        ProcessRewardModel prm = ProcessRewardModel.create(backbone, TextTokenizer.load(dir), card, 6);
        try (RewardModelBackend backend = RewardModelBackend.of(prm)) {
            runWorkload(backend, prm, backbone); // warm-up, discarded
            Map<String, Long> total = new LinkedHashMap<>();
            for (int repeat = 0; repeat < REPEATS; repeat++) {
                runWorkload(backend, prm, backbone).forEach((phase, nanos) -> total.merge(phase, nanos, Long::sum));
            }
            StringBuilder out = new StringBuilder("| phase | ms per search (mean of " + REPEATS + ") |\n|---|---:|\n");
            total.forEach((phase, nanos) -> out.append(String.format(Locale.ROOT, "| %s | %.1f |%n", phase,
                    nanos / 1e6 / REPEATS)));
            System.out.println(out);
        }
    }

    /** Runs the three scoring paths over all rounds of one search and returns nanoseconds per phase. */
    private static Map<String, Long> runWorkload(RewardModelBackend backend, ProcessRewardModel prm,
            DecoderModel backbone) {
        Map<String, Long> phases = new LinkedHashMap<>();
        List<List<String>> beams = new ArrayList<>();
        for (int b = 0; b < BEAMS; b++) {
            beams.add(List.of());
        }
        try (PrefixCache oneByOne = new PrefixCache(512L << 20); PrefixCache batched = new PrefixCache(512L << 20)) {
            for (int round = 0; round < ROUNDS; round++) {
                List<List<String>> candidates = new ArrayList<>();
                for (int b = 0; b < BEAMS; b++) {
                    for (int option = 0; option < EXPANSIONS; option++) {
                        List<String> steps = new ArrayList<>(beams.get(b));
                        int sample = b * EXPANSIONS + option;
                        steps.add("Step " + (round + 1) + ", option " + sample + ": " + FILLER + ".");
                        candidates.add(steps);
                    }
                }

                long start = System.nanoTime();
                List<ScoringInput> inputs = new ArrayList<>();
                for (List<String> steps : candidates) {
                    inputs.add(backend.segmentSteps(PROBLEM, steps));
                }
                add(phases, "tokenize (segmentSteps)", start);

                start = System.nanoTime();
                backend.score(inputs);
                add(phases, "full-prefix: one padded batch", start);

                scoreOneByOne(inputs, oneByOne, backend, prm, backbone, phases);
                scoreBatched(inputs, batched, backend, phases);

                // keep the first candidate of each beam, so every beam grows by one step
                List<List<String>> next = new ArrayList<>();
                for (int b = 0; b < BEAMS; b++) {
                    next.add(candidates.get(b * EXPANSIONS));
                }
                beams = next;
            }
        }
        return phases;
    }

    /** The batcher's former per-item path, with the forward pass and the head timed apart. */
    private static void scoreOneByOne(List<ScoringInput> inputs, PrefixCache cache, RewardModelBackend backend,
            ProcessRewardModel prm, DecoderModel backbone, Map<String, Long> phases) {
        for (ScoringInput input : inputs) {
            long[] ids = input.inputIds();
            int[] positions = input.scorePositions();

            long start = System.nanoTime();
            PrefixCache.Entry hit = cache.longestPrefix(ids, positions);
            add(phases, "one-by-one: prefix lookup", start);
            int reused = hit == null ? 0 : hit.state().length();
            if (reused == ids.length) {
                continue;
            }

            start = System.nanoTime();
            PrefixState state = hit == null ? backend.newPrefixState() : hit.state().copy();
            add(phases, "one-by-one: cache copy (fork)", start);

            // the same forward and head as PrefixState.extend, timed apart through a second fork of the state
            long[] newIds = Arrays.copyOfRange(ids, reused, ids.length);
            int[] newPositions = Arrays.stream(positions).filter(p -> p >= reused).map(p -> p - reused).toArray();
            try (KvCache probe = hit == null ? backbone.newCache() : forkOf(hit.state(), backbone, ids, reused);
                    NDManager manager = backbone.manager().newSubManager()) {
                start = System.nanoTime();
                NDArray hidden = backbone.hiddenStates(manager.create(newIds, new Shape(1, newIds.length)), probe);
                add(phases, "one-by-one: forward", start);
                start = System.nanoTime();
                prm.scoreAtPositions(hidden, newPositions);
                add(phases, "one-by-one: head", start);
            }

            start = System.nanoTime();
            state.extend(newIds, newPositions);
            add(phases, "one-by-one: extend (forward + head, as served)", start);

            start = System.nanoTime();
            cache.put(ids, new PrefixCache.Entry(state, positions.clone(), new float[positions.length]));
            add(phases, "one-by-one: cache insert", start);
        }
    }

    /** The batched path: one lookup per item, then one forward over all items. */
    private static void scoreBatched(List<ScoringInput> inputs, PrefixCache cache, RewardModelBackend backend,
            Map<String, Long> phases) {
        long start = System.nanoTime();
        List<PrefixState> states = new ArrayList<>();
        List<long[]> newIds = new ArrayList<>();
        List<int[]> newPositions = new ArrayList<>();
        for (ScoringInput input : inputs) {
            long[] ids = input.inputIds();
            PrefixCache.Entry hit = cache.longestPrefix(ids, input.scorePositions());
            int reused = hit == null ? 0 : hit.state().length();
            states.add(hit == null ? backend.newPrefixState() : hit.state().copy());
            newIds.add(Arrays.copyOfRange(ids, reused, ids.length));
            newPositions.add(Arrays.stream(input.scorePositions()).filter(p -> p >= reused).map(p -> p - reused)
                    .toArray());
        }
        add(phases, "batched: lookup + copy", start);

        start = System.nanoTime();
        backend.extendAll(states, newIds, newPositions);
        add(phases, "batched: one extension (forward + head)", start);

        start = System.nanoTime();
        for (int i = 0; i < inputs.size(); i++) {
            int[] positions = inputs.get(i).scorePositions();
            cache.put(inputs.get(i).inputIds(), new PrefixCache.Entry(states.get(i), positions.clone(),
                    new float[positions.length]));
        }
        add(phases, "batched: cache insert", start);
    }

    /** A fresh backbone cache holding the first {@code length} ids, so the probe forward starts where the state does. */
    private static KvCache forkOf(PrefixState state, DecoderModel backbone, long[] ids, int length) {
        KvCache cache = backbone.newCache();
        try (NDManager manager = backbone.manager().newSubManager()) {
            backbone.hiddenStates(manager.create(Arrays.copyOf(ids, length), new Shape(1, length)), cache);
        }
        return cache;
    }

    private static void add(Map<String, Long> phases, String phase, long start) {
        phases.merge(phase, System.nanoTime() - start, Long::sum);
    }
}
