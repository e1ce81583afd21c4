package dev.stepwise.prm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCardTest {

    @TempDir
    Path dir;

    @Test
    void writeThenReadRoundTrips() throws Exception {
        ModelCard card = new ModelCard(ModelCard.Task.PRM, HeadKind.LM_LABEL_TOKENS, "ки", "math-shepherd", "soft",
                0.37, LabelTokens.PLUS_MINUS, 2048);
        card.write(dir);
        assertEquals(card, ModelCard.read(dir));
    }

    @Test
    void unknownKeyIsRejectedWithFileName() throws Exception {
        ModelCard.qwenMathPrmDefaults().write(dir);
        Path file = dir.resolve(ModelCard.FILE_NAME);
        Files.writeString(file, Files.readString(file).replace("{", "{\"treshold\": 0.4,"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCard.read(dir));
        assertTrue(e.getMessage().contains("unknown key 'treshold'"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void thresholdOutsideOpenIntervalIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCard.qwenMathPrmDefaults().withThreshold(1.0));
        assertEquals("threshold must be in (0, 1), found: 1.0", e.getMessage());
    }

    @Test
    void labelTokensNeededOnlyForLabelTokenHead() {
        assertThrows(IllegalArgumentException.class, () -> new ModelCard(ModelCard.Task.PRM,
                HeadKind.LM_LABEL_TOKENS, "ки", "math-shepherd", "hard", 0.5, null, 512));
        assertThrows(IllegalArgumentException.class, () -> new ModelCard(ModelCard.Task.PRM, HeadKind.SIGMOID,
                "ки", "math-shepherd", "hard", 0.5, LabelTokens.PLUS_MINUS, 512));
    }

    @Test
    void labelPolarityFollowsRoleNotListOrder() {
        LabelTokens reversed = LabelTokens.fromList(List.of("-", "+"), "+");
        assertEquals("+", reversed.positive());
        assertEquals("-", reversed.negative());
        assertEquals(LabelTokens.PLUS_MINUS, LabelTokens.fromList(List.of("+", "-"), "+"));
    }

    @Test
    void missingOrDuplicatedPositiveTokenIsRejected() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> LabelTokens.fromList(List.of("-", "x"), "+"));
        assertEquals("positive label token '+' is not one of the label tokens [-, x]", missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LabelTokens.fromList(List.of("+", "+"), "+"));
    }
}
