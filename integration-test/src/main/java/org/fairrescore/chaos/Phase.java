package org.fairrescore.chaos;

/** The phases of the chaos run; a request counts in the phase it started in. */
enum Phase {
    BEFORE("before"),
    NODE_DOWN("node down"),
    RECOVERING("recovering"),
    ROLLING("rolling"),
    AFTER("after");

    final String label;

    Phase(String label) {
        this.label = label;
    }
}
