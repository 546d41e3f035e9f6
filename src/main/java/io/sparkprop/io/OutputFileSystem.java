package io.sparkprop.io;

import java.io.FileNotFoundException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * The file operations an output needs, with renames that are one atomic step of the file system,
 * which {@link FileSystem#rename} is not: on a local disk it may fall back to copying, and on any
 * file system it moves the source <em>into</em> a destination directory that already exists. On
 * a local disk these are POSIX {@code rename(2)} and {@code link(2)} through java.nio (which also
 * creates files without the process Hadoop's local file system starts per file to set its
 * permissions); elsewhere Hadoop's {@link FileContext#rename}, a single NameNode operation on HDFS.
 * (Object stores such as S3 have no atomic rename; there Hadoop emulates one by copying.)
 */
abstract class OutputFileSystem {
    /** The operations for the file system of {@code fs}. */
    static OutputFileSystem of(FileSystem fs, Configuration conf) {
        return "file".equals(fs.getUri().getScheme()) ? new Local(fs) : hadoop(fs, conf);
    }

    /** Hadoop's {@link FileSystem} and {@link FileContext}, whatever the file system (tests use it on a local disk). */
    static OutputFileSystem hadoop(FileSystem fs, Configuration conf) {
        return new Hadoop(fs, conf);
    }

    /** Creates the file {@code path}, which must not exist; its parent directory must. */
    abstract OutputStream create(Path path) throws IOException;

    /** Creates {@code dir} and its missing parents. */
    abstract void mkdirs(Path dir) throws IOException;

    /**
     * Renames {@code source} to {@code target} unless {@code target} exists. For a file this is
     * atomic; for a directory it is atomic where the file system's rename is (local disks: an
     * empty directory at {@code target} is replaced, a non-empty one is not).
     *
     * @return false when {@code target} exists
     * @throws FileNotFoundException when {@code source} does not exist
     */
    abstract boolean renameNoReplace(Path source, Path target) throws IOException;

    /** Renames the file {@code source} to {@code target}, atomically replacing a file there. */
    abstract void renameReplacing(Path source, Path target) throws IOException;

    /** POSIX renames through java.nio: no copying fallback, no moving into a directory. */
    private static final class Local extends OutputFileSystem {
        private final FileSystem fs;

        Local(FileSystem fs) {
            this.fs = fs;
        }

        private java.nio.file.Path local(Path path) {
            return Paths.get(fs.makeQualified(path).toUri());
        }

        @Override
        OutputStream create(Path path) throws IOException {
            return new BufferedOutputStream(Files.newOutputStream(local(path), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE));
        }

        @Override
        void mkdirs(Path dir) throws IOException {
            Files.createDirectories(local(dir));
        }

        @Override
        boolean renameNoReplace(Path source, Path target) throws IOException {
            java.nio.file.Path from = local(source);
            java.nio.file.Path to = local(target);
            try {
                if (Files.isRegularFile(from, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    // link(2) fails if the target exists, so two racing publishers cannot both win.
                    Files.createLink(to, from);
                    Files.delete(from);
                    return true;
                }
                if (Files.exists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    return false;
                }
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (NoSuchFileException e) {
                throw new FileNotFoundException(source + " does not exist");
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + source + " to " + target + " atomically: " + e.getMessage(), e);
            }
        }

        @Override
        void renameReplacing(Path source, Path target) throws IOException {
            try {
                Files.move(local(source), local(target), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException e) {
                throw new FileNotFoundException(source + " does not exist");
            }
        }
    }

    /** {@link FileContext#rename} with or without {@link Options.Rename#OVERWRITE}. */
    private static final class Hadoop extends OutputFileSystem {
        private final FileSystem fs;
        private final Configuration conf;

        Hadoop(FileSystem fs, Configuration conf) {
            this.fs = fs;
            this.conf = conf;
        }

        @Override
        OutputStream create(Path path) throws IOException {
            return fs.create(path, false);
        }

        @Override
        void mkdirs(Path dir) throws IOException {
            if (!fs.mkdirs(dir)) {
                throw new IOException("cannot create the directory " + dir);
            }
        }

        private FileContext context() throws UnsupportedFileSystemException {
            return FileContext.getFileContext(fs.getUri(), conf);
        }

        @Override
        boolean renameNoReplace(Path source, Path target) throws IOException {
            try {
                context().rename(fs.makeQualified(source), fs.makeQualified(target), Options.Rename.NONE);
                return true;
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
                return false;
            }
        }

        @Override
        void renameReplacing(Path source, Path target) throws IOException {
            context().rename(fs.makeQualified(source), fs.makeQualified(target), Options.Rename.OVERWRITE);
        }
    }
}
