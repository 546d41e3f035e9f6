package io.sparkprop.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a value as an indented JSON file on any file system Hadoop reaches, through a temporary
 * sibling renamed into place: a reader (or a scheduler polling for the file) never sees half of it.
 */
public final class JsonFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonFile() {
    }

    /** Fails, before any work, when {@link #write} would: the file exists and may not be replaced. */
    public static void requireWritable(Configuration hadoop, String file, boolean overwrite) {
        try {
            Path target = new Path(file);
            if (!overwrite && target.getFileSystem(hadoop).exists(target)) {
                throw new ModelStoreException(file + " already exists; pass --overwrite to replace it");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + file + ": " + e.getMessage(), e);
        }
    }

    /** @param overwrite replace an existing file; otherwise an existing one is an error */
    public static void write(Configuration hadoop, String file, Object value, boolean overwrite) {
        requireWritable(hadoop, file, overwrite);
        try {
            Path target = new Path(file);
            FileSystem fs = target.getFileSystem(hadoop);
            fs.setWriteChecksum(false);
            Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
            try {
                try (OutputStream out = fs.create(temporary)) {
                    JSON.writeValue(out, value);
                }
                if (fs.exists(target)) {
                    fs.delete(target, false);
                }
                if (!fs.rename(temporary, target)) {
                    throw new IOException("could not rename " + temporary + " to " + target);
                }
            } finally {
                fs.delete(temporary, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
