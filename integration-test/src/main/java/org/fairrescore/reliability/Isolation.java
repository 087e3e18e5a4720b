package org.fairrescore.reliability;

final class Isolation {
    private Isolation() {}

    static void run(Http http, Node node, Fixture fixture, Section section) throws Exception {
        section.check("not written yet", false, "TODO");
    }
}
