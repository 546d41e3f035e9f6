package io.sparkprop.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX's own checker, {@code onnx.checker.check_model(model, full_check=True)} (the reference
 * implementation's validation with strict shape inference, from Debian's {@code python3-onnx},
 * which {@code .ci/run} installs), accepts every kind of exported model; skipped where no Python
 * has the onnx package.
 */
class OnnxCheckerTest {
    private static final String CHECK = "import sys, onnx\n"
            + "for path in sys.argv[1:]:\n"
            + "    onnx.checker.check_model(onnx.load(path), full_check=True)\n"
            + "print(len(sys.argv) - 1, 'checked')\n";

    @TempDir
    Path dir;

    @Test
    void onnxsCheckerAcceptsEveryKindOfExport() throws Exception {
        Optional<String> python = pythonWithOnnx();
        Assumptions.assumeTrue(python.isPresent(), "no python3 with the onnx package (Debian's python3-onnx)");
        List<String> command = new ArrayList<>(List.of(python.get(), "-c", CHECK));
        long seed = 1;
        for (String spec : List.of("relu(6)|softmax(3)", "tanh(4)|sigmoid(1)", "sigmoid(5)|sigmoid(3)",
                "identity(4)|identity(2)", "relu(3)|tanh(1)", "tanh(3)|relu(2)")) {
            for (Precision precision : Precision.values()) {
                Model model = OnnxExportTest.randomModel(Network.parse(spec, 5), seed % 2 == 0, seed);
                OnnxExport export = OnnxExport.of(model).withPrecision(precision);
                if (spec.endsWith("softmax(3)")) {
                    export = export.withThresholds(new double[] {0.5, 0, 0.5});
                }
                Path file = dir.resolve("model-" + seed++ + ".onnx");
                Files.write(file, export.toByteArray());
                command.add(file.toString());
            }
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        assertEquals("12 checked", output.strip());
    }

    /** Debian's python3 first (the package installs for it), then the one on the PATH. */
    private static Optional<String> pythonWithOnnx() throws InterruptedException {
        for (String python : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import onnx").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) {
                    return Optional.of(python);
                }
            } catch (IOException e) {
                // not installed: try the next
            }
        }
        return Optional.empty();
    }
}
