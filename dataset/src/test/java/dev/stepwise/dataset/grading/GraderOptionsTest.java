package dev.stepwise.dataset.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GraderOptionsTest {

    @Test
    void defaultsAreDocumentedValues() {
        GraderOptions defaults = GraderOptions.DEFAULTS;

        assertEquals(Duration.ofSeconds(5), defaults.deadline());
        assertTrue(defaults.lastNumberFallback());
        assertEquals(false, defaults.acceptFractionForPercent());
        assertEquals(GraderOptions.UnitPolicy.LENIENT, defaults.units());
        assertEquals(1e-6, defaults.relativeTolerance());
        assertEquals(1000, defaults.maxAnswerChars());
        assertEquals(65_536, defaults.maxNumberBits());
        assertEquals(100, defaults.maxNestingDepth());
    }

    @Test
    void constructorRejectsBadValuesNamingThem() {
        IllegalArgumentException deadline = assertThrows(IllegalArgumentException.class,
                () -> GraderOptions.DEFAULTS.withDeadline(Duration.ofSeconds(-3)));
        IllegalArgumentException tolerance = assertThrows(IllegalArgumentException.class,
                () -> GraderOptions.DEFAULTS.withRelativeTolerance(0.5));
        IllegalArgumentException units = assertThrows(IllegalArgumentException.class,
                () -> GraderOptions.DEFAULTS.withUnits(null));

        assertTrue(deadline.getMessage().contains("PT-3S"), deadline.getMessage());
        assertTrue(tolerance.getMessage().contains("0.5"), tolerance.getMessage());
        assertTrue(units.getMessage().contains("units"), units.getMessage());
    }

    @Test
    void fractionForPercentIsOptIn() {
        Grader grader = new Grader(GraderOptions.DEFAULTS.withAcceptFractionForPercent(true));

        assertEquals(Verdict.CORRECT, grader.grade("0.28", "28\\%").verdict());
        assertEquals(Verdict.CORRECT, grader.grade("28\\%", "0.28").verdict());
        assertEquals(Verdict.CORRECT, grader.grade("28", "28\\%").verdict());
        assertEquals(Verdict.INCORRECT, grader.grade("0.28", "28").verdict());
    }

    @Test
    void strictUnitsRequireSameUnitOnBothSides() {
        Grader grader = new Grader(GraderOptions.DEFAULTS.withUnits(GraderOptions.UnitPolicy.STRICT));

        assertEquals(Verdict.INCORRECT, grader.grade("5", "5 centimeters").verdict());
        assertEquals(Verdict.CORRECT, grader.grade("5 cm", "5 centimeters").verdict());
        assertEquals(Verdict.CORRECT, grader.grade("5", "5").verdict());
    }

    @Test
    void ignoredUnitsNeverDecide() {
        Grader grader = new Grader(GraderOptions.DEFAULTS.withUnits(GraderOptions.UnitPolicy.IGNORE));

        assertEquals(Verdict.CORRECT, grader.grade("5 meters", "5 centimeters").verdict());
        assertEquals(Verdict.INCORRECT, grader.grade("6 meters", "5 centimeters").verdict());
    }

    @Test
    void toleranceAppliesOnlyToInexactValues() {
        Grader loose = new Grader(GraderOptions.DEFAULTS.withRelativeTolerance(1e-2));

        assertEquals(Verdict.CORRECT, loose.grade("\\pi", "3.14").verdict());
        assertEquals(Verdict.INCORRECT, loose.grade("3.141", "3.14").verdict());
    }

    @Test
    void contextRejectsBlankUnit() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new GradeContext(null, GradeContext.CollectionOrder.AUTO, " "));

        assertTrue(error.getMessage().contains("' '"), error.getMessage());
    }
}
