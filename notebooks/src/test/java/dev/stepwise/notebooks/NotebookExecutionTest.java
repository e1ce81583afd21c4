package dev.stepwise.notebooks;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes every code cell of every {@code notebooks/*.ipynb} in order, so the committed notebooks
 * cannot drift from the code. With {@code -Dstepwise.notebooks.write=true} the outputs of the run are
 * written back into the notebook files (see {@link WriteNotebookOutputs}).
 */
class NotebookExecutionTest {
    /** Maximum time one cell may run before it is stopped and the test fails. */
    private static final Duration CELL_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path outputRoot;

    @TestFactory
    Stream<DynamicTest> notebooksRunInOrder() throws IOException {
        List<Path> notebooks = notebookFiles(Path.of(""));
        assertFalse(notebooks.isEmpty(), "no .ipynb files in " + Path.of("").toAbsolutePath());
        boolean write = Boolean.getBoolean("stepwise.notebooks.write");
        return notebooks.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Notebook notebook = Notebook.read(file);
            String name = file.getFileName().toString().replace(".ipynb", "");
            List<Notebook.CellResult> results = new NotebookRunner(CELL_TIMEOUT).run(notebook, outputRoot.resolve(name));
            if (write) {
                notebook.writeOutputs(results);
            }
        }));
    }

    /** Lists the notebooks in {@code dir}, sorted by file name. */
    static List<Path> notebookFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
    }
}
