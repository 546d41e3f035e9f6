package io.sparkprop.io;

import java.util.Objects;

/**
 * A path a command reads, with the option that named it, so that an output can be refused when
 * it is, contains or lies inside one.
 *
 * @param option how the user named it, for messages ({@code "--input"})
 * @param path as the user gave it: any Hadoop path, possibly a glob
 */
public record InputPath(String option, String path) {
    public InputPath {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(path, "path");
    }
}
