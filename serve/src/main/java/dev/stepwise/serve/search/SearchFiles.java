package dev.stepwise.serve.search;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Lines files of the search CLI.
 *
 * <p>Problems: one object per line with {@code problem} (required), {@code id} (default: the line
 * number) and {@code answer} (the reference answer, optional). Results: one object per problem with
 * {@code id}, {@code strategy}, {@code steps}, {@code final_answer}, {@code step_scores},
 * {@code outcome_score}, {@code correct} (only when graded), {@code cost} and {@code rungs}.
 */
public final class SearchFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SearchFiles() {}

    /**
     * Reads problems; blank lines are skipped.
     *
     * @throws IOException when the file cannot be read or a line is invalid; the message names the line
     */
    public static List<Problem> readProblems(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            problems.add(parseProblem(path, i + 1, line));
        }
        if (problems.isEmpty()) {
            throw new IOException("problems file " + path + " contains no problems; expected one JSON object per line"
                    + " with a 'problem' field");
        }
        return problems;
    }

    private static Problem parseProblem(Path path, int lineNumber, String line) throws IOException {
        String where = path + " line " + lineNumber;
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JacksonException e) {
            throw new IOException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode problem = node.get("problem");
        if (problem == null || !problem.isTextual() || problem.asText().isBlank()) {
            throw new IOException(where + ": expected a non-empty string field 'problem', found " + problem);
        }
        JsonNode id = node.get("id");
        JsonNode answer = node.get("answer");
        String reference = answer == null || answer.isNull() ? null : answer.isTextual() ? answer.asText() : answer.toString();
        return new Problem(id == null || id.isNull() ? Integer.toString(lineNumber) : id.asText(), problem.asText(),
                reference);
    }

    /**
     * Writes one line per result through a temporary file and a rename.
     *
     * @param correct per result whether it was graded correct, or null when not graded
     */
    public static void writeResults(Path path, List<SearchResult> results, List<Boolean> correct) throws IOException {
        if (correct != null && correct.size() != results.size()) {
            throw new IllegalArgumentException("expected one grade per result (" + results.size() + "), found "
                    + correct.size());
        }
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, path.getFileName().toString(), ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            for (int i = 0; i < results.size(); i++) {
                out.write(JSON.writeValueAsString(toJson(results.get(i), correct == null ? null : correct.get(i))));
                out.newLine();
            }
        }
        Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Returns the JSON object of one result, as written by {@link #writeResults}. */
    public static ObjectNode toJson(SearchResult result, Boolean correct) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", result.problemId());
        node.put("strategy", result.strategy());
        ArrayNode steps = node.putArray("steps");
        result.steps().forEach(steps::add);
        node.put("final_answer", result.finalAnswer());
        ArrayNode scores = node.putArray("step_scores");
        result.stepScores().forEach(scores::add);
        node.put("outcome_score", result.outcomeScore());
        if (correct != null) {
            node.put("correct", correct);
        }
        node.set("cost", costJson(result.cost()));
        ArrayNode rungs = node.putArray("rungs");
        for (RungTrace rung : result.rungs()) {
            ObjectNode r = rungs.addObject();
            r.put("rung", rung.rung());
            r.put("final_answer", rung.finalAnswer());
            r.put("min_step_score", rung.minStepScore());
            r.put("outcome_score", rung.outcomeScore());
            r.put("accepted", rung.accepted());
            r.set("cost", costJson(rung.cost()));
        }
        return node;
    }

    private static ObjectNode costJson(ComputeCost cost) {
        ObjectNode node = JSON.createObjectNode();
        node.put("generator_calls", cost.generatorCalls());
        node.put("prompt_tokens", cost.promptTokens());
        node.put("completion_tokens", cost.completionTokens());
        node.put("scoring_calls", cost.scoringCalls());
        node.put("scored_tokens", cost.scoredTokens());
        node.put("reused_tokens", cost.reusedTokens());
        node.put("compute_tokens", cost.computeTokens());
        return node;
    }
}
