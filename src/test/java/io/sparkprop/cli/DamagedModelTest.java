package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of damaged model directories in {@code src/test/resources/bad-input/models}: a good
 * model ({@code good}, a frozen fixture of the current format) and one damaged copy of it per
 * case, each refused through the command line with exit code 4 and one line naming the file and
 * field, without a stack trace. The corpus is committed; {@link DamagedModelCorpus} writes it.
 */
class DamagedModelTest {

    private static final Path CORPUS = Path.of("src/test/resources/bad-input/models");

    @TempDir
    static Path dir;
    private static Path good;
    private static Path csv;

    @BeforeAll
    static void copyTheGoodModelAndWriteData() throws IOException {
        LocalSpark.session();
        good = dir.resolve("good");
        DamagedModelCorpus.copy(CORPUS.resolve("good"), good);
        List<String> lines = new ArrayList<>(List.of("label,a,b,c,d"));
        for (int i = 0; i < 20; i++) {
            lines.add((i % 3) + "," + i + ",1,2," + (20 - i));
        }
        csv = Files.write(dir.resolve("data.csv"), lines);
    }

    static Stream<Arguments> damagedModels() {
        return DamagedModelCorpus.CASES.stream().map(c -> Arguments.of(c.name(), c.file(), c.message()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedModels")
    void isRefusedWithOneLineNamingTheFileAndField(String name, String file, String message)
            throws IOException {
        Path model = dir.resolve(DamagedModelCorpus.slug(name));
        DamagedModelCorpus.copy(CORPUS.resolve(DamagedModelCorpus.slug(name)), model);
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--input", csv.toString());
        assertEquals(ExitCodes.IO, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(model + "/" + file), "names " + file + ": " + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void theGoodModelIsAccepted() {
        CliRun run = CliRun.of("evaluate", "--model", good.toString(), "--input", csv.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
    }

    @Test
    void predictAndTrainRefuseADamagedModelAlike() throws IOException {
        Path model = dir.resolve("flipped-for-predict");
        DamagedModelCorpus.copy(CORPUS.resolve("good"), model);
        DamagedModelCorpus.flipBit(model, 100);
        CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--output",
                dir.resolve("never").toString());
        assertEquals(ExitCodes.IO, predict.exitCode(), predict.err());
        assertTrue(predict.err().contains(model + "/weights.bin has SHA-256"), predict.err());
        assertFalse(Files.exists(dir.resolve("never")));
        CliRun train = CliRun.of("train", "--input", csv.toString(), "--init-model", model.toString(), "--epochs", "1");
        assertEquals(ExitCodes.IO, train.exitCode(), train.err());
        assertTrue(train.err().contains(model + "/weights.bin has SHA-256"), train.err());
    }

}
