package dev.stepwise.dataset.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.dataset.ImportStats;
import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.ReaderOptions;
import dev.stepwise.dataset.RejectedRecordException;
import dev.stepwise.dataset.StepLabels;
import dev.stepwise.dataset.TraceFormat;
import dev.stepwise.dataset.TraceReader;
import dev.stepwise.dataset.TraceRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * PRM800K labelling rows (phase 1 and phase 2 share the layout).
 *
 * <p>The main path takes, at each step, the chosen completion, else the human completion (whose
 * null rating means correct), else (the labeller stopped there) the first completion rated -1 as a
 * final wrong step. Ratings map 1 → 1, -1 → 0 and 0 → the policy's neutral rating. Quality-control
 * and screening rows, and rows whose {@code finish_reason} is not accepted, are rejected.
 */
public final class Prm800kReader implements TraceReader {

    private static final String ANSWER_MARKER = "# Answer";

    private final ReaderOptions options;
    private final LabelPolicy.NeutralRating neutral;
    private final String source;

    public Prm800kReader(ReaderOptions options) {
        this.options = options;
        this.neutral = options.labelPolicy().requireNeutralRating("rows");
        this.source = options.source() != null ? options.source() : TraceFormat.PRM800K.cliName();
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.PRM800K;
    }

    @Override
    public List<TraceRecord> map(JsonNode value, String id, ImportStats stats) {
        if (value.path("is_quality_control_question").asBoolean(false)) {
            throw new RejectedRecordException(id, "quality_control", "quality-control rows are not training data");
        }
        if (value.path("is_initial_screening_question").asBoolean(false)) {
            throw new RejectedRecordException(id, "initial_screening", "screening rows are not training data");
        }
        JsonNode label = value.path("label");
        String finishReason = Fields.optionalText(label, "finish_reason");
        if (finishReason == null) {
            throw new RejectedRecordException(id, "missing_field", "expected label.finish_reason; found none");
        }
        if (!options.prm800kFinishReasons().contains(finishReason)) {
            throw new RejectedRecordException(id, "finish_reason_" + finishReason, "finish_reason '" + finishReason
                    + "' is not in the accepted set " + options.prm800kFinishReasons());
        }
        String problem = Fields.requiredText(value.path("question"), id, "problem");
        String reference = Fields.optionalText(value.path("question"), "ground_truth_answer");
        JsonNode steps = label.path("steps");
        if (!steps.isArray() || steps.isEmpty()) {
            throw new RejectedRecordException(id, "no_steps", "expected a non-empty label.steps list");
        }

        List<TraceRecord> records = new ArrayList<>();
        List<String> pathSteps = new ArrayList<>();
        List<Float> pathLabels = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            JsonNode completions = step.path("completions");
            int chosenIndex = chosenIndex(step, completions, id, i);
            JsonNode human = step.path("human_completion");
            String text;
            float stepLabel;
            boolean lastStep = false;
            if (chosenIndex >= 0) {
                text = completionText(completions.get(chosenIndex), id, i);
                stepLabel = rating(completions.get(chosenIndex).path("rating"));
            } else if (human.isObject()) {
                text = completionText(human, id, i);
                stepLabel = human.path("rating").isNull() || human.path("rating").isMissingNode()
                        ? 1f : rating(human.path("rating"));
            } else {
                chosenIndex = firstRatedMinusOne(completions);
                if (chosenIndex < 0) {
                    addAlternatives(records, id, problem, reference, pathSteps, pathLabels, completions, -1, i);
                    break;
                }
                text = completionText(completions.get(chosenIndex), id, i);
                stepLabel = 0f;
                lastStep = true;
            }
            addAlternatives(records, id, problem, reference, pathSteps, pathLabels, completions, chosenIndex, i);
            pathSteps.add(text);
            pathLabels.add(stepLabel);
            if (lastStep) {
                break;
            }
        }
        if (pathSteps.isEmpty()) {
            throw new RejectedRecordException(id, "no_steps", "no step was chosen, written by a human or rated -1");
        }
        String finalAnswer = "solution".equals(finishReason) ? finalAnswer(pathSteps.get(pathSteps.size() - 1)) : null;
        TraceRecord main = new TraceRecord(id, source, problem, pathSteps, toArray(pathLabels), finalAnswer,
                reference, null, Set.of());
        records.add(0, options.labelPolicy().apply(main));
        return records;
    }

    private static int chosenIndex(JsonNode step, JsonNode completions, String id, int stepIndex) {
        JsonNode chosen = step.path("chosen_completion");
        if (!chosen.isInt()) {
            return -1;
        }
        int index = chosen.asInt();
        if (!completions.isArray() || index < 0 || index >= completions.size()) {
            throw new RejectedRecordException(id, "invalid_chosen_completion", "step " + stepIndex
                    + " chooses completion " + index + " of " + (completions.isArray() ? completions.size() : 0));
        }
        return index;
    }

    private static int firstRatedMinusOne(JsonNode completions) {
        for (int j = 0; j < completions.size(); j++) {
            if (completions.get(j).path("rating").isInt() && completions.get(j).path("rating").asInt() == -1) {
                return j;
            }
        }
        return -1;
    }

    private void addAlternatives(List<TraceRecord> records, String id, String problem, String reference,
                                 List<String> pathSteps, List<Float> pathLabels, JsonNode completions,
                                 int chosenIndex, int stepIndex) {
        if (!options.prm800kAlternatives() || !completions.isArray()) {
            return;
        }
        for (int j = 0; j < completions.size(); j++) {
            JsonNode completion = completions.get(j);
            if (j == chosenIndex || !completion.path("rating").isInt() || !completion.path("text").isTextual()) {
                continue;
            }
            List<String> steps = new ArrayList<>(pathSteps);
            steps.add(completion.path("text").asText());
            List<Float> labels = new ArrayList<>(pathLabels);
            labels.add(rating(completion.path("rating")));
            TraceRecord alternative = new TraceRecord(id + "/step" + stepIndex + "-completion" + j, source, problem,
                    steps, toArray(labels), null, reference, null, Set.of());
            records.add(options.labelPolicy().apply(alternative));
        }
    }

    private static String completionText(JsonNode completion, String id, int stepIndex) {
        JsonNode text = completion.path("text");
        if (!text.isTextual()) {
            throw new RejectedRecordException(id, "invalid_step", "step " + stepIndex + " has no completion text");
        }
        return text.asText();
    }

    private float rating(JsonNode rating) {
        if (!rating.isInt()) {
            return StepLabels.IGNORE;
        }
        return switch (rating.asInt()) {
            case 1 -> 1f;
            case -1 -> 0f;
            case 0 -> switch (neutral) {
                case POSITIVE -> 1f;
                case NEGATIVE -> 0f;
                case IGNORE -> StepLabels.IGNORE;
            };
            default -> StepLabels.IGNORE;
        };
    }

    /** Returns the text after the last {@code # Answer} line of a finished solution, or null. */
    static String finalAnswer(String lastStep) {
        int marker = lastStep.lastIndexOf(ANSWER_MARKER);
        if (marker < 0) {
            return null;
        }
        String answer = lastStep.substring(marker + ANSWER_MARKER.length()).strip();
        return answer.isEmpty() ? null : answer;
    }

    private static float[] toArray(List<Float> labels) {
        float[] array = new float[labels.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = labels.get(i);
        }
        return array;
    }
}
