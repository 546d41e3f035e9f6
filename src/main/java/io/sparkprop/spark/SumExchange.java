package io.sparkprop.spark;

import io.sparkprop.engine.GradientSum;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.spark.Success$;
import org.apache.spark.TaskContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's end of the per-step exchange of {@link BarrierSteps}: every task of the barrier
 * stage connects once, then at each step sends its partition's gradient sum and receives the sum
 * of all partitions, merged here in the order of {@link OrderedTreeAggregate} so that every task
 * gets the bits the driver would compute.
 *
 * <p>Why not Spark's own {@code BarrierTaskContext.allGather}: it waits for the coordinator's
 * answer by sleeping in steps of one second (measured: 0.84–0.94 s per call in local[2], whatever
 * the message size), a floor far above what a step costs. This exchange answers as soon as the
 * last sum arrives.
 *
 * <p>A connection proves itself with a random secret that reaches the tasks inside their closure
 * (so over Spark's own channel); the sums themselves travel unencrypted, which is why barrier steps
 * are not used when Spark's network encryption is on. Tasks of a later stage attempt (Spark runs a
 * failed barrier stage again as a whole) replace those of the earlier one.
 */
final class SumExchange implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SumExchange.class);

    private final int partitions;
    private final int depth;
    private final byte[] secret = new byte[32];
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "sparkprop-sum-exchange");
        thread.setDaemon(true);
        return thread;
    });
    // Guarded by this: the stage attempt being served, its connections and the sums of its steps.
    private int stage = -1;
    private int attempt = -1;
    private boolean attemptFailed;
    private final List<Connection> connections = new ArrayList<>();
    private final Map<Integer, byte[][]> pending = new HashMap<>();
    private volatile boolean closed;

    /**
     * Listens on {@code bindAddress} (an ephemeral port) for the {@code partitions} tasks.
     *
     * @param depth the aggregation depth whose merge order the sums follow
     */
    SumExchange(String bindAddress, int partitions, int depth) {
        this.partitions = partitions;
        this.depth = depth;
        new SecureRandom().nextBytes(secret);
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0), partitions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for the barrier tasks' sums on " + bindAddress, e);
        }
        threads.execute(this::accept);
    }

    /** Where the tasks connect: the driver's advertised host and this exchange's port. */
    Address address(String host) {
        return new Address(host, server.getLocalPort(), secret.clone());
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the sum exchange", e);
        }
        synchronized (this) {
            connections.forEach(Connection::close);
            connections.clear();
        }
        threads.shutdownNow();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("the sum exchange stopped accepting connections: {}", e.toString());
                }
                return;
            }
        }
    }

    /** Reads one task's hello, then its sums, one per step, until it disconnects. */
    private void serve(Socket socket) {
        Connection connection;
        try {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] proof = new byte[secret.length];
            in.readFully(proof);
            if (!MessageDigest.isEqual(proof, secret)) {
                LOG.warn("refused a connection to the sum exchange from {}: wrong secret", socket.getRemoteSocketAddress());
                socket.close();
                return;
            }
            int stageId = in.readInt();
            int stageAttempt = in.readInt();
            int partition = in.readInt();
            connection = new Connection(socket, stageId, stageAttempt, partition);
            if (!register(connection)) {
                connection.close();
                return;
            }
            while (!closed) {
                int step = in.readInt();
                byte[] sum = new byte[in.readInt()];
                in.readFully(sum);
                deposit(connection, step, sum);
            }
        } catch (IOException e) {
            // The task ended or was killed: its stage attempt fails and Spark runs it again.
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private synchronized boolean register(Connection connection) {
        if (connection.stageAttempt < attempt || connection.stageAttempt == attempt && attemptFailed
                || connection.partition < 0 || connection.partition >= partitions) {
            return false;
        }
        if (connection.stageAttempt > attempt) { // a new attempt of the stage: the old one has failed
            stage = connection.stageId;
            attempt = connection.stageAttempt;
            attemptFailed = false;
            connections.forEach(Connection::close);
            connections.clear();
            pending.clear();
        }
        connections.add(connection);
        return true;
    }

    /**
     * A listener that ends the stage attempt whose task failed: its other tasks would otherwise
     * wait for that task's sums forever, holding the task slots the stage's next attempt needs.
     * (Spark kills a failed barrier stage's other tasks, but not after a fetch failure, e.g. when
     * a lost executor's cached partition is rebuilt from shuffle output that went with it.)
     */
    SparkListener failures() {
        return new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() != Success$.MODULE$) {
                    abandon(end.stageId(), end.stageAttemptId());
                }
            }
        };
    }

    /** Disconnects every task of {@code stageAttempt}: their exchange fails, so they end. */
    private synchronized void abandon(int stageId, int stageAttempt) {
        if (stageId == stage && stageAttempt == attempt && !attemptFailed) {
            attemptFailed = true;
            connections.forEach(Connection::close);
            connections.clear();
            pending.clear();
        }
    }

    private void deposit(Connection connection, int step, byte[] sum) throws IOException {
        byte[][] complete;
        List<Connection> receivers;
        synchronized (this) {
            if (connection.stageAttempt != attempt || attemptFailed) {
                throw new IOException("stage attempt " + connection.stageAttempt + " has failed or was replaced");
            }
            byte[][] sums = pending.computeIfAbsent(step, s -> new byte[partitions][]);
            sums[connection.partition] = sum;
            for (byte[] s : sums) {
                if (s == null) {
                    return;
                }
            }
            pending.remove(step);
            complete = sums;
            receivers = new ArrayList<>(connections);
        }
        byte[] merged = merge(complete);
        for (Connection receiver : receivers) {
            receiver.send(merged);
        }
    }

    private byte[] merge(byte[][] sums) {
        List<GradientSum> partials = new ArrayList<>(sums.length);
        for (byte[] sum : sums) {
            partials.add(GradientSum.fromBytes(sum));
        }
        try {
            return OrderedTreeAggregate.aggregateLocally(partials, GradientSum::merge, depth).toBytes();
        } catch (Exception e) {
            throw new IllegalStateException(e); // GradientSum::merge throws nothing checked
        }
    }

    /** One task's connection. */
    private static final class Connection {
        final Socket socket;
        final int stageId;
        final int stageAttempt;
        final int partition;
        private final DataOutputStream out;

        Connection(Socket socket, int stageId, int stageAttempt, int partition) throws IOException {
            this.socket = socket;
            this.stageId = stageId;
            this.stageAttempt = stageAttempt;
            this.partition = partition;
            this.out = new DataOutputStream(socket.getOutputStream());
        }

        synchronized void send(byte[] merged) {
            try {
                out.writeInt(merged.length);
                out.write(merged);
                out.flush();
            } catch (IOException e) {
                close(); // the task is gone; its stage attempt fails
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** What a task needs to reach the exchange: it travels in the task's closure. */
    record Address(String host, int port, byte[] secret) implements Serializable {
        /** Connects as {@code partition} of the running task's stage attempt. */
        Client connect(int partition) throws IOException {
            Socket socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            // Reads wake up every second to see whether Spark has killed the task meanwhile.
            socket.setSoTimeout(1000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.write(secret);
            out.writeInt(TaskContext.get().stageId());
            out.writeInt(TaskContext.get().stageAttemptNumber());
            out.writeInt(partition);
            out.flush();
            return new Client(socket, out);
        }
    }

    /** A task's end: sends its sum for a step, waits for everyone's. */
    static final class Client implements AutoCloseable {
        private final Socket socket;
        private final DataOutputStream out;
        private final InputStream in;
        private final byte[] header = new byte[Integer.BYTES];
        private byte[] reply = new byte[0];

        private Client(Socket socket, DataOutputStream out) throws IOException {
            this.socket = socket;
            this.out = out;
            this.in = socket.getInputStream();
        }

        /** The sum of every partition's {@code own} at {@code step}, merged in the driver's order. */
        GradientSum exchange(int step, GradientSum own) throws IOException {
            byte[] bytes = own.toBytes();
            out.writeInt(step);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
            int n = ByteBuffer.wrap(readFully(header)).getInt();
            if (reply.length != n) {
                reply = new byte[n]; // once: every step's total has the same size
            }
            return GradientSum.fromBytes(readFully(reply));
        }

        private byte[] readFully(byte[] buffer) throws IOException {
            int at = 0;
            while (at < buffer.length) {
                int n;
                try {
                    n = in.read(buffer, at, buffer.length - at);
                } catch (SocketTimeoutException e) {
                    TaskContext.get().killTaskIfInterrupted(); // a peer failed and Spark killed this attempt
                    continue;
                }
                if (n < 0) {
                    throw new IOException("the driver closed the sum exchange");
                }
                at += n;
            }
            return buffer;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
