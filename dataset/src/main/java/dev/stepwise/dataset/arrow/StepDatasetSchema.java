package dev.stepwise.dataset.arrow;

import dev.stepwise.dataset.LabelPolicy;
import dev.stepwise.dataset.arrow.internal.Columns;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Column names, metadata keys and the Arrow schema of stepwise's step and pair datasets. The
 * documented layout is in {@code docs/dataset.md}.
 */
public final class StepDatasetSchema {

    /** Version of the layout below; readers reject files with another version. */
    public static final int SCHEMA_VERSION = 1;

    public static final String ID = "id";
    public static final String SOURCE = "source";
    public static final String PROBLEM = "problem";
    public static final String STEPS = "steps";
    public static final String INPUT_IDS = "input_ids";
    public static final String SCORE_POSITIONS = "score_positions";
    public static final String STEP_LABELS = "step_labels";
    public static final String OUTCOME_LABEL = "outcome_label";
    public static final String FINAL_ANSWER = "final_answer";
    public static final String REFERENCE_ANSWER = "reference_answer";
    public static final String FLAGS = "flags";
    public static final String ROLLOUTS_CORRECT = "rollouts_correct";
    public static final String ROLLOUTS_TOTAL = "rollouts_total";

    public static final String PROMPT = "prompt";
    public static final String CHOSEN = "chosen";
    public static final String REJECTED = "rejected";
    public static final String CHOSEN_INPUT_IDS = "chosen_input_ids";
    public static final String REJECTED_INPUT_IDS = "rejected_input_ids";

    /** Schema metadata keys. */
    public static final String META_SCHEMA_VERSION = "stepwise.schema_version";
    public static final String META_KIND = "stepwise.kind";
    public static final String META_SOURCE = "stepwise.source";
    public static final String META_TOKENIZER_SHA256 = "stepwise.tokenizer_sha256";
    public static final String META_SEPARATOR = "stepwise.separator";
    public static final String META_SEPARATOR_ID = "stepwise.separator_id";
    public static final String META_PROMPT_FORMAT = "stepwise.prompt_format";
    public static final String META_LABEL_POLICY = "stepwise.label_policy";
    public static final String META_LABEL_TYPE = "stepwise.label_type";
    public static final String META_IGNORE_VALUE = "stepwise.ignore_value";
    /** Footer metadata key of the import statistics (JSON), written when the file is committed. */
    public static final String META_STATS = "stepwise.stats";

    public static final String KIND_STEPS = "steps";
    public static final String KIND_PAIRS = "pairs";

    private StepDatasetSchema() {
    }

    /** Schema of a step dataset; rollout count columns are added when {@code withRollouts} is true. */
    public static Schema steps(LabelPolicy.LabelType labelType, boolean withRollouts, Map<String, String> metadata) {
        List<Field> fields = new ArrayList<>(List.of(
                Columns.scalar(ID, Columns.UTF8, false),
                Columns.scalar(SOURCE, Columns.UTF8, false),
                Columns.scalar(PROBLEM, Columns.UTF8, false),
                Columns.list(STEPS, Columns.UTF8),
                Columns.list(INPUT_IDS, Columns.INT64),
                Columns.list(SCORE_POSITIONS, Columns.INT32),
                Columns.list(STEP_LABELS, labelType == LabelPolicy.LabelType.HARD ? Columns.INT8 : Columns.FLOAT32),
                Columns.scalar(OUTCOME_LABEL, Columns.FLOAT32, true),
                Columns.scalar(FINAL_ANSWER, Columns.UTF8, true),
                Columns.scalar(REFERENCE_ANSWER, Columns.UTF8, true),
                Columns.list(FLAGS, Columns.UTF8)));
        if (withRollouts) {
            fields.add(Columns.list(ROLLOUTS_CORRECT, Columns.INT32));
            fields.add(Columns.list(ROLLOUTS_TOTAL, Columns.INT32));
        }
        return new Schema(fields, metadata);
    }

    /** Schema of a preference-pair dataset for outcome reward models. */
    public static Schema pairs(Map<String, String> metadata) {
        return new Schema(List.of(
                Columns.scalar(ID, Columns.UTF8, false),
                Columns.scalar(SOURCE, Columns.UTF8, false),
                Columns.scalar(PROMPT, Columns.UTF8, false),
                Columns.scalar(CHOSEN, Columns.UTF8, false),
                Columns.scalar(REJECTED, Columns.UTF8, false),
                Columns.list(CHOSEN_INPUT_IDS, Columns.INT64),
                Columns.list(REJECTED_INPUT_IDS, Columns.INT64)), metadata);
    }
}
