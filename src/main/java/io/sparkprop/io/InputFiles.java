package io.sparkprop.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The data files of an input path (a file, a directory of part files, or a glob), listed on the
 * driver before Spark reads them: a missing path or an empty directory is then one clear line,
 * not Spark's and Hadoop's logged stack traces.
 */
final class InputFiles {
    private InputFiles() {
    }

    /**
     * The files Spark would read at {@code path}: itself, or the files below it whose names do
     * not start with '_' or '.' (Spark's markers and checksums).
     *
     * @throws UnreadableInputException if the path does not exist or cannot be listed
     * @throws InvalidDataException if it holds no data file
     */
    static List<FileStatus> list(Configuration conf, String path) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(p);
            if (matches == null || matches.length == 0) {
                throw new UnreadableInputException(path + ": no such file or directory");
            }
            List<FileStatus> files = new ArrayList<>();
            for (FileStatus match : matches) {
                if (!match.isDirectory()) {
                    files.add(match);
                    continue;
                }
                addDataFiles(fs, match.getPath(), files);
            }
            if (files.isEmpty()) {
                throw new InvalidDataException(path + ": no data files in this directory (names starting with '_' "
                        + "or '.' are not data)");
            }
            return files;
        } catch (FileNotFoundException e) {
            throw new UnreadableInputException(path + ": no such file or directory", e);
        } catch (IOException e) {
            throw new UnreadableInputException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds the files below {@code dir} whose names, and whose directories' names, do not start with
     * '_' or '.'. A walk of {@link FileSystem#listStatus} rather than {@code listFiles}: on a local
     * disk the latter reads every file's permissions, one process per file (seconds for a thousand).
     */
    private static void addDataFiles(FileSystem fs, Path dir, List<FileStatus> files) throws IOException {
        for (FileStatus entry : fs.listStatus(dir)) {
            String name = entry.getPath().getName();
            if (name.startsWith("_") || name.startsWith(".")) {
                continue;
            }
            if (entry.isDirectory()) {
                addDataFiles(fs, entry.getPath(), files);
            } else {
                files.add(entry);
            }
        }
    }
}
