package io.sparkprop.io;

/**
 * A model or another output cannot be read or written as asked: a model that does not verify, an
 * output that may not be replaced or overlaps an input, an output another job holds. The message
 * says which path and why, in one line.
 */
public final class ModelStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelStoreException(String message) {
        super(message);
    }
}
