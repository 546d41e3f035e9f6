package io.sparkprop.io;

import io.sparkprop.engine.PredictionSample;

/**
 * Predictions of a regression model beside the true values for a bounded sample of rows, taken
 * once when training ends, so that a report can draw (and redraw) predicted against true values
 * without the data. Kept in the model directory as {@value ModelStore#PREDICTIONS}.
 *
 * @param data which rows: {@code "validation"} or {@code "training"}
 */
public record SampledPredictions(String data, PredictionSample sample) {
}
