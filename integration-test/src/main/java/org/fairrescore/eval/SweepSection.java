package org.fairrescore.eval;

import java.nio.file.Path;

/** The sweep's section of the report (report.sh --sweep). */
final class SweepSection {

    String markdown() {
        return "";
    }

    String html() {
        return "";
    }

    void writeFiles(Path dir) {
    }
}
