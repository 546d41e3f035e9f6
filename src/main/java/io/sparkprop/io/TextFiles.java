package io.sparkprop.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * The text files behind a path (a file, a directory of part files, a glob; compressed or not),
 * read line by line with Hadoop's {@link TextInputFormat} in splits, so a parser sees every line
 * with its file and byte offset and can name the file and line number of a bad value. Line numbers
 * are counted only for an error, by reading the file (decompressed) up to the line's offset.
 *
 * <p>Blank lines are skipped. Hidden files (names starting with '_' or '.', like Spark's
 * {@code _SUCCESS}) in directories are skipped as Spark does; a file named explicitly is read.
 */
final class TextFiles {
    /** Spark SQL's default for {@code spark.sql.files.maxPartitionBytes}. */
    private static final String DEFAULT_MAX_PARTITION_BYTES = "128m";
    /** Spark SQL's {@code spark.sql.files.openCostInBytes}: no split smaller, unless a file is. */
    private static final long MIN_SPLIT_BYTES = 4L << 20;

    private final String path;
    private final List<String> files;
    private final long splitBytes;
    private final SerializableConfiguration conf;

    private TextFiles(String path, List<String> files, long splitBytes, Configuration conf) {
        this.path = path;
        this.files = files;
        this.splitBytes = splitBytes;
        this.conf = new SerializableConfiguration(conf);
    }

    /**
     * The files of {@code path}, sorted by name, split as Spark SQL splits files: at most
     * {@code spark.sql.files.maxPartitionBytes}, and into about as many splits as the
     * application has cores when the input is smaller.
     *
     * @throws UnreadableInputException if nothing exists at {@code path} or it cannot be listed
     * @throws InvalidDataException if {@code path} holds no data file
     */
    static TextFiles list(SparkSession spark, String path) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<FileStatus> found = new ArrayList<>(InputFiles.list(conf, path));
        found.sort(Comparator.comparing(FileStatus::getPath));
        long bytes = found.stream().mapToLong(FileStatus::getLen).sum();
        long maxSplit = JavaUtils.byteStringAsBytes(spark.conf().get("spark.sql.files.maxPartitionBytes",
                DEFAULT_MAX_PARTITION_BYTES));
        long perCore = bytes / Math.max(1, spark.sparkContext().defaultParallelism());
        long splitBytes = Math.max(1, Math.min(maxSplit, Math.max(MIN_SPLIT_BYTES, perCore)));
        return new TextFiles(path, found.stream().map(s -> s.getPath().toString()).toList(), splitBytes, conf);
    }

    /** The path as the user gave it. */
    String path() {
        return path;
    }

    /** The first non-blank line of the files, and where it is. */
    record FirstLine(String file, long number, String text) {
        /** {@code file:line: problem}, for an error found in this line on the driver. */
        InvalidDataException error(String problem) {
            return new InvalidDataException(file + ":" + number + ": " + problem);
        }
    }

    /**
     * Reads the files in order up to their first non-blank line.
     *
     * @throws InvalidDataException if every file is empty or blank
     */
    FirstLine firstLine() {
        for (String file : files) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(conf.value(), file),
                    StandardCharsets.UTF_8))) {
                long number = 0;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    number++;
                    if (number == 1 && line.startsWith("\uFEFF")) {
                        line = line.substring(1); // a byte order mark, as Hadoop's line reader drops it
                    }
                    if (!line.isBlank()) {
                        return new FirstLine(file, number, line);
                    }
                }
            } catch (IOException e) {
                throw new UnreadableInputException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        throw new InvalidDataException(path + ": the input is empty");
    }

    /** One line handed to a {@link LineParser}: its bytes, and where it is for error messages. */
    static final class Line {
        private final Configuration conf;
        private final String file;
        private boolean firstInFile;
        private long offset;
        private byte[] bytes;
        private int length;

        private Line(Configuration conf, String file, boolean splitStartsFile) {
            this.conf = conf;
            this.file = file;
            this.firstInFile = splitStartsFile;
        }

        /** The line's UTF-8 bytes are {@code bytes()[0, length())}; valid until the next line. */
        byte[] bytes() {
            return bytes;
        }

        int length() {
            return length;
        }

        /** Whether this is the first non-blank line of its file (where a header would be). */
        boolean firstInFile() {
            return firstInFile;
        }

        String file() {
            return file;
        }

        /**
         * An error for this line: {@code file:line: problem}. Counts the line number by reading
         * the file up to this line, so call it only for an error.
         */
        InvalidDataException error(String problem) {
            return new InvalidDataException(file + ":" + where() + ": " + problem);
        }

        private String where() {
            try {
                return Long.toString(lineNumber(conf, file, offset));
            } catch (IOException e) {
                return "byte " + offset + " (the line number could not be counted: " + e.getMessage() + ")";
            }
        }

        private void next(long offset, Text text) {
            if (bytes != null) {
                firstInFile = false;
            }
            this.offset = offset;
            this.bytes = text.getBytes();
            this.length = text.getLength();
        }
    }

    /** Turns lines into values, one parser per partition (it may keep buffers from line to line). */
    @FunctionalInterface
    interface LineParser<R> {
        /** The line's value, or null to skip the line (a header, a comment). */
        R parse(Line line);
    }

    /** Makes a {@link LineParser} on the executor, once per partition. */
    @FunctionalInterface
    interface LineParsers<R> extends java.io.Serializable {
        LineParser<R> open();
    }

    /** Every non-blank line of the files through a parser, in file and line order. */
    <R> JavaRDD<R> parse(JavaSparkContext jsc, LineParsers<R> parsers) {
        Job job;
        try {
            job = Job.getInstance(conf.value());
            FileInputFormat.setInputPaths(job, files.stream().map(Path::new).toArray(Path[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FileInputFormat.setMinInputSplitSize(job, splitBytes);
        FileInputFormat.setMaxInputSplitSize(job, splitBytes);
        @SuppressWarnings("unchecked")
        JavaNewHadoopRDD<LongWritable, Text> lines = (JavaNewHadoopRDD<LongWritable, Text>) jsc.newAPIHadoopRDD(
                job.getConfiguration(), LineInputFormat.class, LongWritable.class, Text.class);
        SerializableConfiguration lineCountConf = conf;
        return lines.mapPartitionsWithInputSplit((split, records) -> {
            FileSplit fileSplit = (FileSplit) split;
            Line line = new Line(lineCountConf.value(), fileSplit.getPath().toString(), fileSplit.getStart() == 0);
            return new Parsed<>(records, line, parsers.open());
        }, false);
    }

    private static final class Parsed<R> implements Iterator<R> {
        private final Iterator<Tuple2<LongWritable, Text>> records;
        private final Line line;
        private final LineParser<R> parser;
        private R next;

        Parsed(Iterator<Tuple2<LongWritable, Text>> records, Line line, LineParser<R> parser) {
            this.records = records;
            this.line = line;
            this.parser = parser;
        }

        @Override
        public boolean hasNext() {
            while (next == null && records.hasNext()) {
                Tuple2<LongWritable, Text> record = records.next();
                Text text = record._2();
                if (isBlank(text)) {
                    continue;
                }
                line.next(record._1().get(), text);
                next = parser.parse(line);
            }
            return next != null;
        }

        @Override
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            R result = next;
            next = null;
            return result;
        }

        private static boolean isBlank(Text text) {
            byte[] bytes = text.getBytes();
            for (int i = 0, n = text.getLength(); i < n; i++) {
                if (bytes[i] != ' ' && bytes[i] != '\t') {
                    return false;
                }
            }
            return true;
        }
    }

    /** A value quoted in a message, cut to 60 characters. */
    static String shorten(String value) {
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }

    /**
     * The 1-based number of the line starting at byte {@code offset} of the (decompressed) file:
     * one more than the line ends before it, where a line ends with \n, \r or \r\n as for Hadoop's
     * line reader.
     */
    static long lineNumber(Configuration conf, String file, long offset) throws IOException {
        try (InputStream in = open(conf, file)) {
            byte[] buffer = new byte[1 << 16];
            long lines = 0;
            long remaining = offset;
            boolean afterCarriageReturn = false;
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        lines += afterCarriageReturn ? 0 : 1;
                    } else if (b == '\r') {
                        lines++;
                    }
                    afterCarriageReturn = b == '\r';
                }
                remaining -= n;
            }
            return lines + 1;
        }
    }

    private static InputStream open(Configuration conf, String file) throws IOException {
        Path p = new Path(file);
        InputStream raw = p.getFileSystem(conf).open(p);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
        return codec == null ? raw : codec.createInputStream(raw);
    }

    /**
     * Hadoop's text input, with two changes: a compressed file is read whole by one task (a key is
     * then the line's offset in the decompressed file, which {@link #lineNumber} needs; bzip2
     * splits would give offsets in the compressed file), and the input paths are the files
     * themselves, not globs (the driver has listed and filtered them already).
     */
    public static final class LineInputFormat extends TextInputFormat {
        @Override
        protected boolean isSplitable(JobContext context, Path file) {
            return new CompressionCodecFactory(context.getConfiguration()).getCodec(file) == null;
        }

        @Override
        protected List<FileStatus> listStatus(JobContext job) throws IOException {
            List<FileStatus> statuses = new ArrayList<>();
            for (Path p : getInputPaths(job)) {
                statuses.add(p.getFileSystem(job.getConfiguration()).getFileStatus(p));
            }
            return statuses;
        }
    }
}
