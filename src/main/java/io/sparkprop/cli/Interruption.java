package io.sparkprop.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (Ctrl-C) stop a job cleanly instead of killing the JVM under it: the first
 * signal cancels the running Spark jobs and asks the trainer to stop before its next step; the
 * command then unwinds normally, so its temporaries are removed and nothing half-written stays,
 * and exits with the conventional 128 + signal number (143, 130) after one line saying where it
 * stopped. A second signal, or a job that has not unwound after {@value #GRACE_SECONDS} s, exits
 * at once with the same code.
 *
 * <p>Without handlers the JVM would run its shutdown hooks, Spark's among them, while the job still
 * runs: the job then failed with "Cannot call methods on a stopped SparkContext" and a stack trace.
 */
final class Interruption {
    static final int GRACE_SECONDS = 30;

    private final boolean handlesSignals;
    private final List<Runnable> onSignal = new CopyOnWriteArrayList<>();
    private volatile Signal received;
    private volatile String stage = "";
    private volatile String afterwards = "nothing written";

    private Interruption(boolean handlesSignals) {
        this.handlesSignals = handlesSignals;
    }

    /** Handles SIGTERM and SIGINT in this JVM from now on. */
    static Interruption install() {
        Interruption interruption = new Interruption(true);
        interruption.handleSignals();
        return interruption;
    }

    /** Leaves the JVM's signal handling alone (for commands run inside another program, e.g. tests). */
    static Interruption none() {
        return new Interruption(false);
    }

    /**
     * (Re-)installs the handlers, if this handles signals at all; call after starting Spark, which
     * may install its own (those only log the signal and pass it on to the JVM's default, which exits).
     */
    void handleSignals() {
        if (!handlesSignals) {
            return;
        }
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), this::signalled);
        }
    }

    private void signalled(Signal signal) {
        if (received != null) {
            Runtime.getRuntime().halt(exitCode());
        }
        received = signal;
        for (Runnable action : onSignal) {
            action.run();
        }
        Thread watchdog = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(GRACE_SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("sparkprop: " + describe() + " (did not stop within " + GRACE_SECONDS + " s)");
            Runtime.getRuntime().halt(exitCode());
        }, "sparkprop-interrupt-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Runs {@code action} when a signal arrives (e.g. cancel Spark's jobs); returns what removes it again. */
    Runnable whenSignalled(Runnable action) {
        onSignal.add(action);
        return () -> onSignal.remove(action);
    }

    /** Where the job is, for the message: e.g. {@code "at epoch 7"}. */
    void at(String where) {
        stage = where;
    }

    /** What the job leaves when it stops, for the message; by default {@code "nothing written"}. */
    void afterwards(String outcome) {
        afterwards = outcome;
    }

    boolean requested() {
        return received != null;
    }

    /** Fails fast once a signal has arrived: before committing an output, for instance. */
    void check() {
        if (requested()) {
            throw new IllegalStateException(describe());
        }
    }

    /** 128 + the signal's number: 143 for SIGTERM, 130 for SIGINT. */
    int exitCode() {
        return 128 + received.getNumber();
    }

    /** {@code interrupted at epoch 7, nothing written}. */
    String describe() {
        return "interrupted" + (stage.isEmpty() ? "" : " " + stage) + ", " + afterwards;
    }
}
