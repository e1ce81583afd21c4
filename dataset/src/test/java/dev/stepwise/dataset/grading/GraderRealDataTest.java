package dev.stepwise.dataset.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agreement with human-checked labels on public data. Reads the folder named by the environment
 * variable STEPWISE_SHARED_DATA and prints every disagreement.
 */
class GraderRealDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Grader GRADER = new Grader();
    private static Path data;

    @BeforeAll
    static void findData() {
        String folder = System.getenv("STEPWISE_SHARED_DATA");
        assumeTrue(folder != null && !folder.isBlank(),
                "STEPWISE_SHARED_DATA is not set; set it to the shared data folder to run the real-data checks");
        data = Path.of(folder);
    }

    /**
     * GSM8K test questions with solutions from four GPT-3 variants, each labelled {@code is_correct}
     * by the dataset authors. The reference is the test set's answer text, which ends in
     * {@code #### <number>}; the two files join on the question text.
     */
    @Test
    void gsm8kVerdictsMatchAuthorLabels() throws IOException {
        Map<String, String> referenceByQuestion = new HashMap<>();
        for (String line : Files.readAllLines(data.resolve("gsm8k/test.jsonl"))) {
            JsonNode row = JSON.readTree(line);
            referenceByQuestion.put(row.get("question").asText(), row.get("answer").asText());
        }
        int graded = 0;
        List<String> disagreements = new ArrayList<>();
        List<String> lines = Files.readAllLines(data.resolve("gsm8k/example_model_solutions.jsonl"));
        for (int lineNumber = 1; lineNumber <= lines.size(); lineNumber++) {
            JsonNode row = JSON.readTree(lines.get(lineNumber - 1));
            String reference = referenceByQuestion.get(row.get("question").asText());
            assertTrue(reference != null, "line " + lineNumber + ": question not found in gsm8k/test.jsonl");
            for (Iterator<Map.Entry<String, JsonNode>> models = row.fields(); models.hasNext(); ) {
                Map.Entry<String, JsonNode> model = models.next();
                if (!model.getValue().isObject()) {
                    continue;
                }
                boolean labelledCorrect = model.getValue().get("is_correct").asBoolean();
                GradeResult result = GRADER.grade(model.getValue().get("solution").asText(), reference);
                graded++;
                if (result.isCorrect() != labelledCorrect) {
                    disagreements.add("line " + lineNumber + " " + model.getKey() + ": labelled "
                            + labelledCorrect + ", graded " + result);
                }
            }
        }

        disagreements.forEach(System.out::println);
        double agreement = 1.0 - (double) disagreements.size() / graded;
        System.out.printf("GSM8K: %d solutions, %d disagreements, agreement %.4f%n", graded, disagreements.size(), agreement);
        assertEquals(5276, graded);
        assertTrue(agreement >= 0.99, "agreement " + agreement + " is below 0.99");
    }

    /** Every MATH-500 reference answer must be graded CORRECT against its own reference solution. */
    @Test
    void math500AnswersMatchTheirSolutions() throws IOException {
        List<String> lines = Files.readAllLines(data.resolve("math500/test500.jsonl"));
        List<String> disagreements = new ArrayList<>();
        for (int lineNumber = 1; lineNumber <= lines.size(); lineNumber++) {
            JsonNode row = JSON.readTree(lines.get(lineNumber - 1));
            GradeResult result = GRADER.grade(row.get("solution").asText(), row.get("answer").asText());
            if (!result.isCorrect()) {
                disagreements.add("line " + lineNumber + ": " + result);
            }
        }

        disagreements.forEach(System.out::println);
        System.out.printf("MATH-500: %d answers, %d not graded CORRECT%n", lines.size(), disagreements.size());
        assertEquals(500, lines.size());
        assertEquals(List.of(), disagreements);
    }

    /**
     * ProcessBench solutions, split into steps and labelled {@code final_answer_correct} by the
     * benchmark authors, joined on the problem text to the GSM8K test references (all 400) and to
     * MATH-500 (the problems it shares with ProcessBench). The verdict must agree with the label on
     * at least 98% of each set. The known disagreements are labels that contradict the text (the
     * boxed answer equals the reference but is labelled wrong), an unsimplified but equal expression,
     * and answers the grader cannot read: a last number that is not the answer, and a boxed phrase
     * that names two counts whose sum is the answer.
     */
    @Test
    void processBenchVerdictsMatchLabels() throws IOException {
        Map<String, String> gsm8k = new HashMap<>();
        for (String line : Files.readAllLines(data.resolve("gsm8k/test.jsonl"))) {
            JsonNode row = JSON.readTree(line);
            gsm8k.put(row.get("question").asText().strip(), row.get("answer").asText());
        }
        Map<String, String> math = new HashMap<>();
        for (String line : Files.readAllLines(data.resolve("math500/test500.jsonl"))) {
            JsonNode row = JSON.readTree(line);
            math.put(row.get("problem").asText().strip(), row.get("answer").asText());
        }

        double gsm8kAgreement = processBenchAgreement("processbench/gsm8k.json", gsm8k, 400);
        double mathAgreement = processBenchAgreement("processbench/math.json", math, 112);

        assertTrue(gsm8kAgreement >= 0.98, "GSM8K agreement " + gsm8kAgreement + " is below 0.98");
        assertTrue(mathAgreement >= 0.98, "MATH agreement " + mathAgreement + " is below 0.98");
    }

    private static double processBenchAgreement(String file, Map<String, String> referenceByProblem, int expectedJoined)
            throws IOException {
        int joined = 0;
        List<String> disagreements = new ArrayList<>();
        for (JsonNode row : JSON.readTree(data.resolve(file).toFile())) {
            String problem = row.get("problem").asText().strip();
            String reference = referenceByProblem.get(problem);
            if (reference == null) {
                continue;
            }
            List<String> steps = new ArrayList<>();
            row.get("steps").forEach(step -> steps.add(step.asText()));
            boolean labelledCorrect = row.get("final_answer_correct").asBoolean();
            GradeResult result = GRADER.grade(String.join("\n\n", steps), reference, problem);
            joined++;
            if (result.isCorrect() != labelledCorrect) {
                disagreements.add(row.get("id").asText() + ": labelled " + labelledCorrect + ", graded " + result);
            }
        }

        disagreements.forEach(System.out::println);
        double agreement = 1.0 - (double) disagreements.size() / joined;
        System.out.printf("%s: %d joined solutions, %d disagreements, agreement %.4f%n", file, joined,
                disagreements.size(), agreement);
        assertEquals(expectedJoined, joined);
        return agreement;
    }

    /** Grading MATH-500 answers against each other, in both orders, never gives two verdicts. */
    @Test
    void math500AnswerPairsAreSymmetric() throws IOException {
        List<String> answers = new ArrayList<>();
        for (String line : Files.readAllLines(data.resolve("math500/test500.jsonl"))) {
            answers.add(JSON.readTree(line).get("answer").asText());
        }
        List<String> asymmetric = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            for (int j = i + 1; j < Math.min(answers.size(), i + 10); j++) {
                Verdict forward = GRADER.grade(answers.get(i), answers.get(j)).verdict();
                Verdict backward = GRADER.grade(answers.get(j), answers.get(i)).verdict();
                if (forward != backward) {
                    asymmetric.add(answers.get(i) + " vs " + answers.get(j) + ": " + forward + ", " + backward);
                }
            }
        }

        assertEquals(List.of(), asymmetric);
    }
}
