package dev.stepwise.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.dataset.internal.GenericReader;
import dev.stepwise.dataset.internal.JsonSource;
import dev.stepwise.dataset.internal.MathShepherdReader;
import dev.stepwise.dataset.internal.Prm800kReader;
import dev.stepwise.dataset.internal.ProcessBenchReader;
import dev.stepwise.dataset.internal.RawTraceReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Creates trace readers and reads whole files through them. */
public final class TraceReaders {

    private TraceReaders() {
    }

    /**
     * @throws IllegalArgumentException when the options lack a setting the format needs, such as the
     *                                  PRM800K neutral rating
     */
    public static TraceReader create(TraceFormat format, ReaderOptions options) {
        return switch (format) {
            case PRM800K -> new Prm800kReader(options);
            case MATH_SHEPHERD -> new MathShepherdReader(options);
            case PROCESSBENCH -> new ProcessBenchReader(options);
            case GENERIC -> new GenericReader(options);
            case RAW -> new RawTraceReader(options);
        };
    }

    /**
     * Reads every JSON value of {@code file} (JSON Lines, a JSON array or concatenated JSON values;
     * {@code .gz} allowed) and passes each record to {@code sink}. A value that cannot become a record
     * is counted in {@code stats} under its rejection reason; an invalid JSON line under
     * {@code invalid_json}. Records without an id get {@code FILE_NAME:N}, with N the line number for
     * JSON Lines and the element index otherwise.
     *
     * @throws IOException when the file cannot be read, or a JSON (not JSON Lines) file is malformed
     */
    public static void read(Path file, TraceReader reader, Consumer<TraceRecord> sink, ImportStats stats)
            throws IOException {
        String fileName = file.getFileName().toString();
        JsonSource.read(file, new JsonSource.Visitor() {
            @Override
            public void value(long number, JsonNode value) {
                stats.recordRead();
                String id = fileName + ":" + number;
                List<TraceRecord> records;
                try {
                    if (!value.isObject()) {
                        throw new RejectedRecordException(id, "not_an_object", "expected a JSON object; found "
                                + value.getNodeType());
                    }
                    records = reader.map(value, id, stats);
                } catch (RejectedRecordException e) {
                    stats.recordRejected(e.recordId().equals(id) ? e : e.at(id));
                    return;
                }
                if (records.size() > 1) {
                    stats.extraRecordsRead(records.size() - 1);
                }
                records.forEach(sink);
            }

            @Override
            public void invalid(long line, String message) {
                stats.recordRead();
                stats.recordRejected(new RejectedRecordException(fileName + ":" + line, "invalid_json", message));
            }
        });
    }

    /** Reads {@code file} and returns its records; convenient for small files and tests. */
    public static List<TraceRecord> readAll(Path file, TraceFormat format, ReaderOptions options, ImportStats stats)
            throws IOException {
        List<TraceRecord> records = new java.util.ArrayList<>();
        read(file, create(format, options), records::add, stats);
        return records;
    }
}
