package dev.stepwise.dataset;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Maps one JSON value of a source format to trace records with labels in stepwise's convention
 * (1 = correct) and the label policy applied. Implementations are stateless and thread-safe.
 */
public interface TraceReader {

    /**
     * Maps one value.
     *
     * @param value      one JSON object of the source
     * @param fallbackId id to use when the value has none, such as {@code gsm8k.json:3}
     * @param stats      receives counts that do not reject the record, such as dropped empty steps
     * @return one record, or several when the format has several traces per value (PRM800K
     *         alternative completions)
     * @throws RejectedRecordException when the value cannot become a record, with the reason
     */
    List<TraceRecord> map(JsonNode value, String fallbackId, ImportStats stats);

    /** The format this reader maps. */
    TraceFormat format();
}
