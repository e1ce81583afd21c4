package dev.stepwise.dataset.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs that hang or exhaust memory in other graders. Each must return UNGRADABLE_TIMEOUT no later
 * than the deadline plus one second.
 */
class GraderLimitsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final Grader GRADER = new Grader(GraderOptions.DEFAULTS.withDeadline(DEADLINE));

    static Stream<Arguments> hostileInputs() {
        return Stream.of(
                Arguments.of("power tower", "\\boxed{\\dfrac{5^{(5^{(5^{(5^5)})} - 4)} - 5}{16}}"),
                Arguments.of("plain tower", "9^9^9^9^9"),
                Arguments.of("huge factorial", "\\boxed{100000!}"),
                Arguments.of("huge binomial", "\\boxed{\\binom{2000000000}{1000000000}}"),
                Arguments.of("deep nesting", "\\boxed{" + "(".repeat(400) + "1" + ")".repeat(400) + "}"),
                Arguments.of("deep fractions", "\\boxed{" + "\\frac{1}{".repeat(90) + "2" + "}".repeat(90) + "}"),
                Arguments.of("hangul and CJK garbage", garbage(10_000, 0xAC00, 0xD7A3, 0x4E00, 0x9FFF)),
                Arguments.of("symbol garbage", garbage(10_000, '!', '/', '[', '`')),
                Arguments.of("digit soup", "1+".repeat(5_000) + "1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void hostileInputStopsInTime(String kind, String response) {
        long start = System.nanoTime();

        GradeResult result = GRADER.grade(response, "1");

        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(Verdict.UNGRADABLE_TIMEOUT, result.verdict());
        assertTrue(seconds <= DEADLINE.toSeconds() + 1.0,
                kind + " took " + seconds + " s, more than the deadline plus 1 s");
    }

    @Test
    void passedDeadlineGivesTimeoutVerdict() {
        Grader instant = new Grader(GraderOptions.DEFAULTS.withDeadline(Duration.ofNanos(1)));

        assertEquals(Verdict.UNGRADABLE_TIMEOUT, instant.grade("\\boxed{2}", "2").verdict());
    }

    @Test
    void abandonedWorkerStopsSoon() throws InterruptedException {
        Grader hurried = new Grader(GraderOptions.DEFAULTS.withDeadline(Duration.ofMillis(5)));
        String longSolution = "so the answer is 5 and then ".repeat(400_000);

        GradeResult result = hurried.grade(longSolution, "5");

        assertEquals(Verdict.UNGRADABLE_TIMEOUT, result.verdict());
        long giveUp = System.nanoTime() + 1_000_000_000L;
        while (runningGraderThreads() > 0 && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        assertEquals(0, runningGraderThreads(), "a grader worker still runs 1 s after its item was abandoned");
    }

    private static long runningGraderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("stepwise-grader-"))
                .filter(thread -> thread.getState() == Thread.State.RUNNABLE)
                .count();
    }

    @Test
    void largeExactPowersStillGrade() {
        assertEquals(Verdict.CORRECT, GRADER.grade("2^{100}", "1267650600228229401496703205376").verdict());
        assertEquals(Verdict.CORRECT, GRADER.grade("20!", "2432902008176640000").verdict());
    }

    @Test
    void graderServesConcurrentCallers() throws Exception {
        int threads = 4;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> counts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            counts.add(pool.submit(() -> {
                int correct = 0;
                for (int i = 0; i < perThread; i++) {
                    int value = offset * perThread + i;
                    if (GRADER.grade("The answer is " + value + ".", "\\boxed{" + value + "}").isCorrect()) {
                        correct++;
                    }
                }
                return correct;
            }));
        }
        int total = 0;
        for (Future<Integer> count : counts) {
            total += count.get();
        }
        pool.shutdown();

        assertEquals(threads * perThread, total);
    }

    /** Random characters from the given inclusive code point ranges, with a fixed seed. */
    private static String garbage(int length, int... ranges) {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            int range = random.nextInt(ranges.length / 2) * 2;
            text.appendCodePoint(ranges[range] + random.nextInt(ranges[range + 1] - ranges[range] + 1));
        }
        return text.toString();
    }
}
