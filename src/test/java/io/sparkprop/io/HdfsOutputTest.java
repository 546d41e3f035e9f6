package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output guarantees on a real HDFS (a name node and a data node in this JVM, on loopback):
 * models written aside and renamed into place, replaced only when they are sparkprop's, never
 * seen partial by a reader, one writer at a time.
 */
class HdfsOutputTest {
    private static final Network NETWORK = Network.parse("tanh(6)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);

    @TempDir
    static Path base;
    private static MiniDFSCluster cluster;
    private static Configuration conf;
    private static FileSystem fs;
    private static String root;

    @BeforeAll
    static void startHdfs() throws IOException {
        Configuration hdfs = new Configuration();
        hdfs.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        hdfs.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        hdfs.set("dfs.datanode.address", "127.0.0.1:0");
        hdfs.set("dfs.datanode.http.address", "127.0.0.1:0");
        hdfs.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        hdfs.set("dfs.namenode.http-address", "127.0.0.1:0");
        cluster = new MiniDFSCluster.Builder(hdfs).numDataNodes(1).build();
        cluster.waitActive();
        fs = cluster.getFileSystem();
        conf = fs.getConf();
        root = fs.getUri() + "/data";
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    private static Model model(long seed) {
        return new Model(NETWORK, Initializer.initialize(NETWORK, seed), null);
    }

    private static TrainingRecord record() {
        return new TrainingRecord(Map.of("data", "test"), Map.of(), List.of());
    }

    @Test
    void aModelIsWrittenReplacedAndReadBackOnHdfs() throws Exception {
        String dir = root + "/models/m";
        ModelStore store = new ModelStore(conf);
        store.save(model(1), record(), dir, false);
        assertArrayEquals(model(1).parameters(), store.load(dir).parameters());
        ModelStoreException refused = assertThrows(ModelStoreException.class,
                () -> store.save(model(2), record(), dir, false));
        assertTrue(refused.getMessage().contains("already exists"), refused.getMessage());

        // A reader polling the path while it is replaced again and again finds the old model,
        // the new one, or (between the two renames) none: never a partial or mixed one.
        List<String> seen = new ArrayList<>();
        Thread reader = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    if (fs.exists(new org.apache.hadoop.fs.Path(dir))) {
                        FileStatus[] files = fs.listStatus(new org.apache.hadoop.fs.Path(dir));
                        seen.add(files.length == 3 ? "complete" : "partial: " + List.of(files));
                    }
                } catch (IOException e) {
                    seen.add("between renames"); // the directory went away while it was listed
                }
            }
        });
        reader.start();
        for (long seed = 2; seed < 12; seed++) {
            store.save(model(seed), record(), dir, true);
        }
        reader.interrupt();
        reader.join();
        assertTrue(seen.contains("complete"), "the reader saw the model: " + seen.size() + " looks");
        assertFalse(seen.stream().anyMatch(s -> s.startsWith("partial")), seen.toString());
        assertArrayEquals(model(11).parameters(), store.load(dir).parameters());
        assertEquals(List.of("m"), names(root + "/models"), "no temporaries, locks or old copies left");
    }

    @Test
    void aDirectoryOfTheUsersIsNeverReplacedAndOutputsStayOutOfInputs() throws IOException {
        org.apache.hadoop.fs.Path mine = new org.apache.hadoop.fs.Path(root + "/mine");
        try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(mine, "thesis.tex"))) {
            out.write("precious".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        ModelStore store = new ModelStore(conf);
        ModelStoreException e = assertThrows(ModelStoreException.class,
                () -> store.save(model(1), record(), mine.toString(), true));
        assertTrue(e.getMessage().contains("is not a sparkprop model"), e.getMessage());
        assertEquals(List.of("thesis.tex"), names(mine.toString()));

        e = assertThrows(ModelStoreException.class, () -> store.reserve(mine + "/model", true,
                List.of(new InputPath("--input", mine.toString()))));
        assertTrue(e.getMessage().contains("lies inside the --input"), e.getMessage());
    }

    @Test
    void anOnnxExportIsWrittenWholeAndReplacesOnlyAnExportOnHdfs() throws IOException {
        String file = root + "/onnx/m.onnx";
        io.sparkprop.onnx.OnnxExport.of(model(1)).save(conf, file, false);
        byte[] first;
        try (java.io.InputStream in = fs.open(new org.apache.hadoop.fs.Path(file))) {
            first = in.readAllBytes();
        }
        assertEquals("sparkprop", onnx.Onnx.ModelProto.parseFrom(first).getProducerName());
        assertThrows(ModelStoreException.class, () -> io.sparkprop.onnx.OnnxExport.of(model(2)).save(conf, file, false));
        io.sparkprop.onnx.OnnxExport.of(model(2)).save(conf, file, true);
        try (java.io.InputStream in = fs.open(new org.apache.hadoop.fs.Path(file))) {
            assertFalse(java.util.Arrays.equals(first, in.readAllBytes()));
        }
        org.apache.hadoop.fs.Path notes = new org.apache.hadoop.fs.Path(root + "/onnx/notes.onnx");
        try (OutputStream out = fs.create(notes)) {
            out.write("precious".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        ModelStoreException e = assertThrows(ModelStoreException.class,
                () -> io.sparkprop.onnx.OnnxExport.of(model(3)).save(conf, notes.toString(), true));
        assertTrue(e.getMessage().contains("not an ONNX model produced by sparkprop"), e.getMessage());
        assertEquals(8, fs.getFileStatus(notes).getLen());
        assertEquals(List.of("m.onnx", "notes.onnx"), names(root + "/onnx"), "no temporaries or locks left");
    }

    @Test
    void aSecondWriterFailsWhileTheFirstHoldsTheOutput() throws IOException {
        ModelStore store = new ModelStore(conf);
        String dir = root + "/contended";
        try (PendingOutput first = store.reserve(dir, false, List.of())) {
            ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.reserve(dir, false, List.of()));
            assertTrue(e.getMessage().contains("is being written by another job"), e.getMessage());
            store.save(model(3), record(), first);
        }
        assertArrayEquals(model(3).parameters(), store.load(dir).parameters());
    }

    private static List<String> names(String dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus status : fs.listStatus(new org.apache.hadoop.fs.Path(dir))) {
            names.add(status.getPath().getName());
        }
        return names;
    }
}
