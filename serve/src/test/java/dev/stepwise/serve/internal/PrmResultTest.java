package dev.stepwise.serve.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The JSON of a PRM result carries float32 scores without narrowing them. */
class PrmResultTest {

    private static float sigmoid(float logit) {
        return (float) (1 / (1 + Math.exp(-logit)));
    }

    @Test
    void nearbyLogitsStayDistinct() throws Exception {
        // In bfloat16 all three become 0.98828125; in float32 they differ in the fourth decimal.
        float[] scores = {sigmoid(4.5f), sigmoid(4.52f), sigmoid(4.6f)};
        ScoringInput input = new ScoringInput(new long[] {1, 2, 3}, new int[] {0, 1, 2}, 3, false);

        JsonNode written = Json.MAPPER.readTree(Json.write(NativeRoutes.prmResult(input, scores, 0.5, 3, 0)));
        JsonNode stepScores = written.get("step_scores");

        assertEquals(0.98901f, stepScores.get(0).floatValue(), 1e-5f);
        assertEquals(0.98923f, stepScores.get(1).floatValue(), 1e-5f);
        assertEquals(0.99005f, stepScores.get(2).floatValue(), 1e-5f);
        for (int k = 0; k < 3; k++) {
            assertEquals(scores[k], stepScores.get(k).floatValue(), 0f, "step " + k + " round-trips exactly");
        }
        assertNotEquals(stepScores.get(0).floatValue(), stepScores.get(1).floatValue());
        assertEquals(scores[0], written.get("min").floatValue(), 0f);
        assertEquals(-1, written.get("first_error_step").intValue());
    }
}
