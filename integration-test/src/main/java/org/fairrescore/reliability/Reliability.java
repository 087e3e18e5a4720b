package org.fairrescore.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The reliability run against a real node started by {@code integration-test/node.sh} (see
 * {@code integration-test/reliability.sh}, which builds, installs and starts it, and stops it at the end).
 *
 * <pre>
 *   --url http://127.0.0.1:9200    the node (default: FR_HTTP_PORT on loopback)
 *   --node-sh PATH                 integration-test/node.sh (restarts with other node settings, heap after GC)
 *   --load-seconds N               length of the load run's measured phase (default 120)
 *   --clients N                    load clients (default 8)
 *   --sections a,b                 only these: matrix, faults, models, load, isolation, security (default all)
 *   --shared-data DIR              shared/data with the ESCI and WANDS query files (default ../shared/data)
 *   --strict                       known plugin bugs fail the run too
 * </pre>
 * Prints each failure as it happens and a summary table at the end; exits 1 if a check failed.
 */
public final class Reliability {

    // isolation ends on a node with a 1-slot inference pool; security restarts it anyway, so it runs last and load before
    public static final List<String> SECTIONS = List.of("matrix", "faults", "models", "load", "isolation", "security");

    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:" + System.getenv().getOrDefault("FR_HTTP_PORT", "9200");
        Path nodeSh = Path.of("node.sh");
        int loadSeconds = 120;
        int clients = 8;
        boolean strict = false;
        Set<String> only = new LinkedHashSet<>(SECTIONS);
        Path shared = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--node-sh" -> nodeSh = Path.of(args[++i]);
                case "--load-seconds" -> loadSeconds = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--shared-data" -> shared = Path.of(args[++i]);
                case "--strict" -> strict = true;
                case "--sections" -> {
                    only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                    for (String s : only) {
                        if (!SECTIONS.contains(s)) {
                            throw new IllegalArgumentException("unknown section [" + s + "]; known: " + SECTIONS);
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument [" + args[i] + "] (see Reliability's javadoc)");
            }
        }
        if (!Files.isExecutable(nodeSh)) {
            throw new IllegalArgumentException("no executable node.sh at " + nodeSh.toAbsolutePath() + " (--node-sh)");
        }
        Http http = new Http(url);
        Node node = new Node(nodeSh, http);
        Fixture fixture = new Fixture(http);
        Log.line("reliability: node %s, home %s, sections %s, load %d clients x %d s", url, node.home(), only, clients, loadSeconds);
        fixture.create(60);

        List<Section> done = new ArrayList<>();
        for (String name : only) {
            Section section = new Section(name);
            Log.line("== %s ==", name);
            try {
                switch (name) {
                    case "matrix" -> BadInputMatrix.run(http, fixture, section);
                    case "faults" -> Faults.run(http, node, fixture, section);
                    case "models" -> Models.run(http, node, fixture, section, Math.min(clients, 4), QueryTexts.load(shared));
                    case "isolation" -> Isolation.run(http, node, fixture, section);
                    case "load" -> LoadRun.run(http, node, fixture, section, clients, loadSeconds, QueryTexts.load(shared));
                    case "security" -> Security.run(http, node, fixture, section);
                    default -> throw new IllegalStateException(name);
                }
            } catch (Exception e) {
                section.error("section aborted", e);
                e.printStackTrace(System.out);
            }
            // every section leaves a green node with the default settings for the next one
            try {
                if (node.pid() < 0) {
                    Log.line("  (the node is down after %s: starting it again)", name);
                    node.start();
                }
                section.check("node green at the end of the section", node.green(), "not green");
            } catch (Exception e) {
                section.error("node at the end of the section", e);
            }
            section.finish();
            Log.line("   %s: %d checks, %d passed, %d failed, %d known bugs, %.1f s", name, section.checks().size(), section.passed(),
                section.failed(), section.count(Section.Outcome.KNOWN_BUG), section.seconds());
            done.add(section);
        }
        System.out.println();
        System.out.print(Summary.render(done, strict));
        System.out.flush();
        System.exit(Summary.passed(done, strict) ? 0 : 1);
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
