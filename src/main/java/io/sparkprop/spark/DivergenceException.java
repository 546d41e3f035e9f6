package io.sparkprop.spark;

/** Training produced a non-finite loss or gradient; no model is kept. */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DivergenceException(String message) {
        super(message);
    }
}
