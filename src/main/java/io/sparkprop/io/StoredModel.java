package io.sparkprop.io;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.engine.Model;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model as {@link ModelStore#open} read and verified it, with what its {@code metadata.json}
 * says beside the weights, all from the one read: a concurrent replacement of the directory cannot
 * pair this model with another model's record.
 *
 * @param dir the directory that holds the model's files: the path given, or its {@code data/}
 *        (Spark ML's layout)
 * @param metadata {@code metadata.json}, parsed
 * @param weightsSha256 the SHA-256 of its {@code weights.bin} as read (what {@code metadata.json}
 *        records, from format version 2)
 */
public record StoredModel(Model model, String dir, JsonNode metadata, String weightsSha256) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The {@code training} section of {@code metadata.json} as plain values: how the model was
     * trained, as {@code train} recorded it; empty when the model was saved without it.
     */
    public Map<String, Object> training() {
        JsonNode training = metadata.path("training");
        return training.isObject() ? JSON.convertValue(training, new TypeReference<LinkedHashMap<String, Object>>() { })
                : Map.of();
    }
}
