package io.sparkprop.io;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Refuses an output that is, contains or lies inside one of the command's inputs, so that writing
 * (or replacing) the output can never touch what the command reads. Paths are compared fully
 * qualified ({@link FileSystem#makeQualified}: scheme, authority, absolute path), with symbolic
 * links resolved on a local disk and an input glob expanded to the paths it matches.
 */
final class PathOverlap {
    /** A qualified path as scheme, authority and path components. */
    private record Location(String scheme, String authority, List<String> parts) {
        boolean sameFileSystem(Location other) {
            return scheme.equals(other.scheme) && authority.equals(other.authority);
        }

        boolean within(Location other) {
            return sameFileSystem(other) && parts.size() >= other.parts.size()
                    && parts.subList(0, other.parts.size()).equals(other.parts);
        }
    }

    private PathOverlap() {
    }

    /** @throws ModelStoreException when {@code output} is, contains or lies inside an input */
    static void refuse(Configuration conf, String output, List<InputPath> inputs) throws IOException {
        if (inputs.isEmpty()) {
            return;
        }
        Location out = locate(conf, new Path(output));
        for (InputPath input : inputs) {
            for (Location in : matches(conf, input.path())) {
                String relation = out.equals(in) ? "is" : out.within(in) ? "lies inside" : in.within(out) ? "contains"
                        : null;
                if (relation != null) {
                    throw new ModelStoreException("output " + output + " " + relation + " the " + input.option() + " "
                            + input.path() + "; choose an output outside the command's inputs");
                }
            }
        }
    }

    /** The paths an input names: what its glob matches, or the path itself. */
    private static List<Location> matches(Configuration conf, String input) throws IOException {
        Path path = new Path(input);
        List<Location> found = new ArrayList<>();
        FileStatus[] statuses;
        try {
            statuses = path.getFileSystem(conf).globStatus(path);
        } catch (IOException e) {
            statuses = null; // unreadable: compare the path as written
        }
        if (statuses != null) {
            for (FileStatus status : statuses) {
                found.add(locate(conf, status.getPath()));
            }
        }
        if (found.isEmpty()) {
            found.add(locate(conf, path));
        }
        return found;
    }

    private static Location locate(Configuration conf, Path path) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        URI uri = fs.makeQualified(path).toUri();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String authority = uri.getAuthority() == null ? "" : uri.getAuthority().toLowerCase(Locale.ROOT);
        List<String> parts = new ArrayList<>();
        if ("file".equals(scheme)) {
            for (java.nio.file.Path part : real(Paths.get(uri))) {
                parts.add(part.toString());
            }
        } else {
            for (String part : uri.getPath().split("/")) {
                if (!part.isEmpty()) {
                    parts.add(part);
                }
            }
        }
        return new Location(scheme, authority, parts);
    }

    /** A local path with the symbolic links of its longest existing ancestor resolved. */
    private static java.nio.file.Path real(java.nio.file.Path path) throws IOException {
        Deque<java.nio.file.Path> missing = new ArrayDeque<>();
        java.nio.file.Path existing = path.normalize();
        while (existing != null && !Files.exists(existing)) {
            missing.push(existing.getFileName());
            existing = existing.getParent();
        }
        java.nio.file.Path resolved = existing == null ? path.normalize() : existing.toRealPath();
        while (!missing.isEmpty()) {
            resolved = resolved.resolve(missing.pop());
        }
        return resolved;
    }
}
