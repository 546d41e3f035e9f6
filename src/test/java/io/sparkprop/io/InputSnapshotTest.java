package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputSnapshotTest {
    @TempDir
    Path dir;

    private final Configuration hadoop = new Configuration();

    private InputSnapshot snapshot(Path path) {
        return InputSnapshot.of(hadoop, List.of(path.toString()));
    }

    @Test
    void listsTheDataFilesWithSizesAndTimesAndNamesEveryChange() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.writeString(data.resolve("part-0.csv"), "1,2\n");
        Files.writeString(data.resolve("part-1.csv"), "3,4\n");
        Files.writeString(data.resolve("_SUCCESS"), "");
        Files.writeString(data.resolve(".part-0.csv.crc"), "x");
        InputSnapshot before = snapshot(data);
        assertEquals(2, before.files().size(), before.files().toString());
        assertEquals(List.of(), before.differences(snapshot(data)), "unchanged");

        Files.writeString(data.resolve("part-0.csv"), "1,2\n5,6\n"); // grew
        Files.delete(data.resolve("part-1.csv"));
        Files.writeString(data.resolve("part-2.csv"), "7,8\n");
        List<String> changed = before.differences(snapshot(data));
        assertEquals(3, changed.size(), changed.toString());
        assertTrue(changed.get(0).matches(".*part-0\\.csv: 4 bytes, modified .*, now 8 bytes, modified .*"), changed.get(0));
        assertTrue(changed.get(1).matches(".*part-1\\.csv: gone \\(it was 4 bytes, modified .*\\)"), changed.get(1));
        assertTrue(changed.get(2).matches(".*part-2\\.csv: new \\(4 bytes, modified .*\\)"), changed.get(2));

        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> before.requireUnchanged(snapshot(data)));
        assertTrue(e.getMessage().startsWith("the input changed while it was read: ") && e.getMessage().contains(
                "(and 2 more); expected files that no longer change: train once they are complete"), e.getMessage());
    }

    @Test
    void aTouchedFileOfTheSameSizeDiffers() throws IOException {
        Path file = Files.writeString(dir.resolve("a.csv"), "1,2\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
        InputSnapshot before = snapshot(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_001_000L));
        assertEquals(1, before.differences(snapshot(file)).size());
        assertEquals(Map.of(before.files().keySet().iterator().next(), "4 bytes, modified 2023-11-14T22:13:20Z"),
                before.toJson());
    }

    @Test
    void manyFilesAreRecordedAsACountAndADigest() throws IOException {
        for (int i = 0; i <= InputSnapshot.LISTED; i++) {
            Files.writeString(dir.resolve("part-" + i), "1\n");
        }
        Map<String, Object> json = snapshot(dir).toJson();
        assertEquals(List.of("files", "bytes", "sha256"), List.copyOf(json.keySet()));
        assertEquals(InputSnapshot.LISTED + 1, json.get("files"));
        Files.writeString(dir.resolve("part-7"), "2\n");
        Files.setLastModifiedTime(dir.resolve("part-7"), FileTime.fromMillis(1_600_000_000_000L));
        assertTrue(!json.equals(snapshot(dir).toJson()), "the digest changes with any file");
        assertTrue(InputSnapshot.none().isEmpty());
    }
}
