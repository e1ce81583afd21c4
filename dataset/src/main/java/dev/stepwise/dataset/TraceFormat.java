package dev.stepwise.dataset;

/** Source formats that {@link TraceReaders} maps to {@link TraceRecord}s; docs/dataset.md has the field mapping. */
public enum TraceFormat {
    /** PRM800K phase 1 and phase 2 labelling rows: per-step completions rated -1, 0 or +1. */
    PRM800K("prm800k"),
    /** Math-Shepherd: {@code input} with a step tag after each step and {@code label} with +/- in its place;
     *  also the {@code question}/{@code process}/{@code labels} variant. */
    MATH_SHEPHERD("math-shepherd"),
    /** ProcessBench: {@code steps[]} and {@code label}, the index of the first wrong step or -1. */
    PROCESSBENCH("processbench"),
    /** Generic and PRMBench-style JSON Lines: {@code problem}, {@code steps[]}, {@code labels[]}; also stepwise's own export. */
    GENERIC("generic"),
    /** A problem and one unsplit solution text, split into steps by a {@link StepSplitter}; labels are ignored. */
    RAW("raw");

    private final String cliName;

    TraceFormat(String cliName) {
        this.cliName = cliName;
    }

    /** Name used on the command line and in metadata. */
    public String cliName() {
        return cliName;
    }

    public static TraceFormat fromCliName(String name) {
        for (TraceFormat format : values()) {
            if (format.cliName.equals(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("Unknown trace format '" + name
                + "'; expected prm800k, math-shepherd, processbench, generic or raw");
    }
}
