package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An epoch's record as metrics.jsonl and metadata.json's history hold it: written and read back. */
class EpochRecordTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsBackWhatItWroteAndLeavesUnmeasuredFiguresOut() throws Exception {
        EpochRecord epoch = new EpochRecord(3, 0.25, Double.NaN, Optional.of(new MetricSummary(0.3, Double.NaN, 0.5,
                0.75)), 0.01, 1.5, 12, 2.5, 4000, 0.02, 0.4, new java.util.LinkedHashMap<>(java.util.Map.of(
                "compute", 2.0, "scheduling", 0.5)));
        String line = JSON.writeValueAsString(epoch.toJson());
        assertFalse(line.contains("accuracy") || line.contains("NaN"), line);
        assertEquals(epoch, EpochRecord.fromJson(JSON.readTree(line), "test"));
    }

    @Test
    void readsAHistoryEntryWrittenBeforeTheTimingsWereRecorded() throws Exception {
        JsonNode old = JSON.readTree("{\"epoch\": 1, \"loss\": 0.5, \"accuracy\": 0.8, \"validation\": {\"loss\": 0.6, "
                + "\"accuracy\": 0.75}, \"learningRate\": 1.0, \"gradientNorm\": 0.1, \"steps\": 1, \"seconds\": 0.2}");
        EpochRecord epoch = EpochRecord.fromJson(old, "metadata.json: history[0]");
        assertEquals(0.75, epoch.validation().orElseThrow().accuracy());
        assertTrue(Double.isNaN(epoch.rowsPerSecond()) && Double.isNaN(epoch.overheadPerStep()));
        assertTrue(epoch.times().isEmpty());
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> EpochRecord.fromJson(
                JSON.readTree("{\"epoch\": 1, \"loss\": \"low\"}"), "metadata.json: history[0]"));
        assertEquals("metadata.json: history[0]: 'loss' is \"low\"; expected a number", e.getMessage());
    }
}
