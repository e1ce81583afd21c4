import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.dataset.grading.Grader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures grades per second on the GSM8K example solutions (5,276 solutions joined to their
 * test-set reference on the question text) and on the MATH-500 reference solutions graded against
 * their answers. Each set gets three warm-up passes, then timed passes with 1 and with THREADS
 * calling threads sharing one Grader. Usage: GradingBench DATA_DIR [PASSES] [THREADS].
 */
public final class GradingBench {

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: GradingBench DATA_DIR [PASSES] [THREADS]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        Grader grader = new Grader();
        measure("GSM8K example solutions", readGsm8kPairs(data), grader, passes, threads);
        measure("MATH-500 solutions against their answers", readMath500Pairs(data), grader, passes, threads);
    }

    private static void measure(String name, List<String[]> pairs, Grader grader, int passes, int threads)
            throws Exception {
        // Short sets are repeated so that each timed pass grades at least 5,000 pairs.
        List<String[]> work = new ArrayList<>();
        while (work.size() < 5_000) {
            work.addAll(pairs);
        }
        // Three warm-up passes, so that the JIT has compiled the paths this set takes.
        for (int pass = 0; pass < 3; pass++) {
            gradeAll(grader, work, 1);
        }
        for (int calling : new int[] {1, threads}) {
            double best = 0;
            for (int pass = 0; pass < passes; pass++) {
                long start = System.nanoTime();
                gradeAll(grader, work, calling);
                double rate = work.size() / ((System.nanoTime() - start) / 1e9);
                best = Math.max(best, rate);
            }
            System.out.printf("%s (%d pairs), %d calling thread(s): best of %d passes %.0f grades/s%n",
                    name, pairs.size(), calling, passes, best);
        }
    }

    private static void gradeAll(Grader grader, List<String[]> pairs, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            parts.add(pool.submit(() -> {
                for (int i = offset; i < pairs.size(); i += threads) {
                    grader.grade(pairs.get(i)[0], pairs.get(i)[1]);
                }
            }));
        }
        for (Future<?> part : parts) {
            part.get();
        }
        pool.shutdown();
    }

    private static List<String[]> readMath500Pairs(Path data) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String[]> pairs = new ArrayList<>();
        for (String line : Files.readAllLines(data.resolve("math500/test500.jsonl"))) {
            JsonNode row = json.readTree(line);
            pairs.add(new String[] {row.get("solution").asText(), row.get("answer").asText()});
        }
        return pairs;
    }

    private static List<String[]> readGsm8kPairs(Path data) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> referenceByQuestion = new HashMap<>();
        for (String line : Files.readAllLines(data.resolve("gsm8k/test.jsonl"))) {
            JsonNode row = json.readTree(line);
            referenceByQuestion.put(row.get("question").asText(), row.get("answer").asText());
        }
        List<String[]> pairs = new ArrayList<>();
        for (String line : Files.readAllLines(data.resolve("gsm8k/example_model_solutions.jsonl"))) {
            JsonNode row = json.readTree(line);
            String reference = referenceByQuestion.get(row.get("question").asText());
            for (Iterator<Map.Entry<String, JsonNode>> models = row.fields(); models.hasNext(); ) {
                JsonNode model = models.next().getValue();
                if (model.isObject()) {
                    pairs.add(new String[] {model.get("solution").asText(), reference});
                }
            }
        }
        return pairs;
    }
}
