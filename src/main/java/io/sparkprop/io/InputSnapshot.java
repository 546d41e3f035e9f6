package io.sparkprop.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

/**
 * The files a job reads, each with its size and modification time, at one moment: taken before
 * the data is read and again once it is cached, a file still being written (or replaced) shows
 * as a difference instead of being read partly and silently; recorded in a model's metadata and in
 * a checkpoint, it tells whether a resumed run reads the same data.
 *
 * @param paths the input paths as given (files, directories, globs), to take the snapshot again
 * @param files each data file (as {@link InputFiles#list} finds them) by path, sorted
 */
public record InputSnapshot(List<String> paths, Map<String, FileState> files) {
    /** Metadata and checkpoints list at most this many files, then a digest of all. */
    static final int LISTED = 1000;

    public InputSnapshot {
        paths = List.copyOf(paths);
        files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** A file's size in bytes and modification time in milliseconds since the epoch. */
    public record FileState(long size, long modified) {
        @Override
        public String toString() {
            return String.format("%,d bytes, modified %s", size, Instant.ofEpochMilli(modified));
        }
    }

    /** No files: data that is not read from files (built-in, in memory). */
    public static InputSnapshot none() {
        return new InputSnapshot(List.of(), Map.of());
    }

    /**
     * The data files of {@code paths} as they are now.
     *
     * @throws UnreadableInputException if a path does not exist or cannot be listed
     */
    public static InputSnapshot of(Configuration hadoop, List<String> paths) {
        Map<String, FileState> files = new TreeMap<>();
        for (String path : paths) {
            for (FileStatus file : InputFiles.list(hadoop, path)) {
                files.put(file.getPath().toString(), new FileState(file.getLen(), file.getModificationTime()));
            }
        }
        return new InputSnapshot(paths, files);
    }

    /** The same paths listed again now. */
    public InputSnapshot again(Configuration hadoop) {
        return paths.isEmpty() ? this : of(hadoop, paths);
    }

    /** Whether there are no files. */
    public boolean isEmpty() {
        return files.isEmpty();
    }

    /**
     * One line per file that differs in {@code later}: grown, shrunk or touched, new, or gone.
     * Empty when the two are the same.
     */
    public List<String> differences(InputSnapshot later) {
        List<String> found = new ArrayList<>();
        files.forEach((path, state) -> {
            FileState now = later.files.get(path);
            if (now == null) {
                found.add(path + ": gone (it was " + state + ")");
            } else if (!now.equals(state)) {
                found.add(path + ": " + state + ", now " + now);
            }
        });
        later.files.forEach((path, state) -> {
            if (!files.containsKey(path)) {
                found.add(path + ": new (" + state + ")");
            }
        });
        return found;
    }

    /**
     * For metadata.json and checkpoints: each file's path with its size and modification time, up
     * to {@value #LISTED} files; beyond that the number of files, their bytes and a SHA-256 over
     * every path, size and time, which still differs whenever a file does.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (files.size() <= LISTED) {
            files.forEach((path, state) -> json.put(path, state.toString()));
            return json;
        }
        json.put("files", files.size());
        json.put("bytes", files.values().stream().mapToLong(FileState::size).sum());
        json.put("sha256", digest());
        return json;
    }

    private String digest() {
        MessageDigest sha = Sha256.digest();
        files.forEach((path, state) -> sha.update((path + '\t' + state.size() + '\t' + state.modified() + '\n')
                .getBytes(StandardCharsets.UTF_8)));
        return Sha256.hex(sha);
    }

    /** Throws when {@code later} differs: the data changed while the job read it. */
    public void requireUnchanged(InputSnapshot later) {
        List<String> changed = differences(Objects.requireNonNull(later, "later"));
        if (!changed.isEmpty()) {
            throw new InvalidDataException("the input changed while it was read: " + changed.get(0)
                    + (changed.size() > 1 ? " (and " + (changed.size() - 1) + " more)" : "")
                    + "; expected files that no longer change: train once they are complete");
        }
    }
}
