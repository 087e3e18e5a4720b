package org.fairrescore.eval;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A plain-text progress bar on stderr, one line per tenth of the work (log-friendly: no carriage returns):
 * {@code   indexing seed-1  [##########----------]  50%  1200/2400 docs  1.3 s}.
 */
final class Progress {
    private static final int WIDTH = 20;

    private final PrintStream out;
    private final String label;
    private final String unit;
    private final int total;
    private final long start = System.nanoTime();
    private int done;
    private int lastTenth = -1;

    Progress(PrintStream out, String label, int total, String unit) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.unit = unit;
    }

    void advance(int n) {
        done += n;
        int tenth = total == 0 ? 10 : (int) Math.floor(10.0 * done / total);
        if (tenth != lastTenth) {
            lastTenth = tenth;
            out.println(line());
            out.flush();
        }
    }

    String line() {
        int filled = total == 0 ? WIDTH : (int) Math.round((double) WIDTH * done / total);
        return String.format(Locale.ROOT, "  %-28s [%s%s] %3d%%  %d/%d %s  %.1f s", label, "#".repeat(filled),
            "-".repeat(WIDTH - filled), total == 0 ? 100 : 100 * done / total, done, total, unit,
            (System.nanoTime() - start) / 1e9);
    }
}
