package io.sparkprop.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.io.SavedRun;
import org.junit.jupiter.api.Test;

/** report.html: self-contained, and what users named is text, never markup. */
class ReportPageTest {

    @Test
    void escapesTheNamesUsersGaveAndFetchesNothing() {
        SavedRun run = ReportRuns.classifier(3, 5, "<script>alert('x')</script>&data.csv");
        String html = ReportPage.html(run, Plots.of(run));
        assertFalse(html.contains("<script"), "user text is escaped");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;data.csv"), html);
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("src=\"file"),
                "nothing is fetched");
        assertTrue(html.contains("<img src=\"data:image/png;base64,"), "plots are embedded");
        for (String section : new String[] {"Configuration", "Data", "Plots", "Final metrics", "Time per epoch",
                "Environment", "Confusion matrix, validation data", "VectorBLAS", "macro F1"}) {
            assertTrue(html.contains(section), section);
        }
    }

    @Test
    void aRegressionShowsItsErrorsAndNoClassTable() {
        SavedRun run = ReportRuns.regression(4);
        String html = ReportPage.html(run, Plots.of(run));
        assertTrue(html.contains("<td>RMSE</td>"), html);
        assertFalse(html.contains("Confusion matrix"), html);
        assertFalse(html.contains("<th>class</th>"), html);
    }
}
