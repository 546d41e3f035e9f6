package io.sparkprop.onnx;

/** A model that cannot be written in the format asked for; the message says why. */
public final class UnsupportedModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedModelException(String message) {
        super(message);
    }
}
