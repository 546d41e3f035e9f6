package io.sparkprop.io;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the fields of a JSON object that describe a run (not the model's verified fields, which
 * {@link ModelMetadata} checks): an absent figure is NaN or a default, a present one of the
 * wrong type a {@link ModelStoreException} naming it. Messages are built only on failure.
 *
 * @param where the file and the object in it, for messages
 */
record JsonFields(String where) {

    /** The number, or NaN when the field is absent or null. */
    double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Double.NaN;
        }
        if (!value.isNumber()) {
            throw error(field, value, "a number");
        }
        return value.asDouble();
    }

    /** The integer, which must be there. */
    int integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw error(field, value, "an integer");
        }
        return value.asInt();
    }

    /** The integer, or {@code absent} when the field is not there. */
    long integer(JsonNode node, String field, long absent) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw error(field, value, "an integer");
        }
        return value.asLong();
    }

    /** The text, or {@code absent} when the field is not there; any scalar is taken as its text. */
    String text(JsonNode node, String field, String absent) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isValueNode()) {
            throw error(field, value, "a string");
        }
        return value.asText();
    }

    ModelStoreException error(String field, JsonNode found, String expected) {
        return error(where, field, ModelMetadata.describe(found), expected);
    }

    /** The one form of a field's message: {@code FILE: 'weights.dtype' is "x"; expected "float64"}. */
    static ModelStoreException error(String where, String field, String found, String expected) {
        return new ModelStoreException(where + ": '" + field + "' is " + found + "; expected " + expected);
    }
}
