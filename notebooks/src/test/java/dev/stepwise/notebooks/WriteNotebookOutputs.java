package dev.stepwise.notebooks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs notebooks and writes their outputs into the files, for committing notebooks that show
 * results. Arguments: notebook files; with none, every {@code .ipynb} in the working directory. Needs
 * the project classpath, which the Maven test run provides:
 *
 * <pre>mvn -o -pl notebooks -am test -Dtest=NotebookExecutionTest -Dsurefire.failIfNoSpecifiedTests=false -Dstepwise.notebooks.write=true</pre>
 */
public final class WriteNotebookOutputs {
    private WriteNotebookOutputs() {}

    public static void main(String[] args) throws Exception {
        List<Path> files = args.length == 0
                ? NotebookExecutionTest.notebookFiles(Path.of(""))
                : java.util.Arrays.stream(args).map(Path::of).toList();
        Path outputRoot = Files.createTempDirectory("stepwise-notebooks-");
        for (Path file : files) {
            long start = System.nanoTime();
            Notebook notebook = Notebook.read(file);
            String name = file.getFileName().toString().replace(".ipynb", "");
            notebook.writeOutputs(new NotebookRunner(Duration.ofMinutes(5)).run(notebook, outputRoot.resolve(name)));
            System.out.printf("%s: outputs written (%.1f s)%n", file, (System.nanoTime() - start) / 1e9);
        }
    }
}
