package org.fairrescore.reliability;

final class LoadRun {
    private LoadRun() {}

    static void run(Http http, Node node, Fixture fixture, Section section, int clients, int seconds, QueryTexts queries) throws Exception {
        section.check("not written yet", false, "TODO");
    }
}
