package io.sparkprop.io;

/** A model directory cannot be written or read as asked; the message says which and why. */
public final class ModelStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelStoreException(String message) {
        super(message);
    }
}
