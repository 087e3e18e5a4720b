package org.fairrescore.eval.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the team's shared data folder is: -Dfairrescore.shared.data, else {@code shared/data} beside the checkout. */
final class SharedData {

    private SharedData() {}

    static Path file(String relative) {
        String configured = System.getProperty("fairrescore.shared.data");
        if (configured != null && configured.isBlank() == false) {
            return Path.of(configured).resolve(relative);
        }
        // Surefire runs in integration-test/: the checkout is its parent, shared/ sits beside the checkout.
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return Path.of("../../shared/data").resolve(relative).toAbsolutePath().normalize();
    }
}
