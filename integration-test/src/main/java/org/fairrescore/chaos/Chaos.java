package org.fairrescore.chaos;

import org.fairrescore.reliability.Log;
import org.fairrescore.reliability.QueryTexts;
import org.fairrescore.reliability.Section;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The chaos run against the three-node cluster of {@code integration-test/cluster.sh} (see
 * {@code integration-test/chaos.sh}, which compiles this and checks that the cluster is up).
 *
 * <pre>
 *   --urls URL,URL,URL      the nodes' HTTP addresses, node 1 first (default: FR_CLUSTER_HTTP_PORT + 0, 1, 2 on loopback)
 *   --cluster-sh PATH       integration-test/cluster.sh (kills, starts and restarts nodes)
 *   --duration N            seconds of load at least (default 120): before, node down and after take fixed shares of
 *                           it, recovering and rolling take as long as the restarts take
 *   --clients N             load clients (default 8)
 *   --kill N                the node to kill -9: 1-3, or "manager" for the elected cluster manager (default manager)
 *   --docs N                documents of each index before the load (default 900)
 *   --no-drain              the rolling restart stops each node without first routing searches away from it
 *   --sections a,b          load (the node loss and the rolling restart under load), mixed (nodes that differ:
 *                           without MiniLM, without the plugin), exposure (the amortized exposure ledger across nodes:
 *                           {@link ExposureCheck}); default all three
 *   --sync-interval N       exposure: fair_rescore.exposure.sync_interval in seconds during the section (default 5)
 *   --searches N            exposure: searches of the first stream (default 300)
 *   --shared-data DIR       shared/data with the ESCI and WANDS query files (default ../shared/data)
 * </pre>
 * Prints a summary and exits 1 when a goal was missed.
 */
public final class Chaos {

    static final List<String> SECTIONS = List.of("load", "mixed", "exposure");

    private Chaos() {}

    public static void main(String[] args) throws Exception {
        int base = Integer.parseInt(System.getenv().getOrDefault("FR_CLUSTER_HTTP_PORT", "9200"));
        List<String> urls = List.of("http://127.0.0.1:" + base, "http://127.0.0.1:" + (base + 1), "http://127.0.0.1:" + (base + 2));
        Path clusterSh = Path.of("cluster.sh");
        int duration = 120;
        int clients = 8;
        String kill = "manager";
        int docs = 900;
        boolean drain = true;
        Set<String> only = new LinkedHashSet<>(SECTIONS);
        Path shared = null;
        int syncInterval = 5;
        int searches = 300;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--urls" -> urls = List.of(args[++i].split(","));
                case "--cluster-sh" -> clusterSh = Path.of(args[++i]);
                case "--duration" -> duration = positive(args[i], args[++i]);
                case "--clients" -> clients = positive(args[i], args[++i]);
                case "--kill" -> {
                    kill = args[++i];
                    if (!kill.equals("manager") && !kill.matches("[1-3]")) {
                        throw new IllegalArgumentException("--kill takes 1, 2, 3 or manager, got [" + kill + "]");
                    }
                }
                case "--docs" -> docs = positive(args[i], args[++i]);
                case "--no-drain" -> drain = false;
                case "--shared-data" -> shared = Path.of(args[++i]);
                case "--sync-interval" -> syncInterval = positive(args[i], args[++i]);
                case "--searches" -> searches = positive(args[i], args[++i]);
                case "--sections" -> {
                    only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                    for (String s : only) {
                        if (!SECTIONS.contains(s)) {
                            throw new IllegalArgumentException("unknown section [" + s + "]; known: " + SECTIONS);
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument [" + args[i] + "] (see Chaos's javadoc)");
            }
        }
        if (urls.size() != 3) {
            throw new IllegalArgumentException("--urls needs the three nodes' addresses, got " + urls);
        }
        if (!Files.isExecutable(clusterSh)) {
            throw new IllegalArgumentException("no executable cluster.sh at " + clusterSh.toAbsolutePath() + " (--cluster-sh)");
        }
        ClusterControl cluster = new ClusterControl(clusterSh, urls);
        if (!cluster.green(3, 60)) {
            throw new IllegalStateException("the cluster is not green with 3 nodes at " + urls + ": run integration-test/cluster.sh up first");
        }
        QueryTexts queries = QueryTexts.load(shared);
        Log.line("chaos: nodes %s, sections %s, load %d clients for at least %d s, kill %s, %d documents per index, rolling restart %s, "
            + "exposure: sync interval %d s, a first stream of %d searches; queries: %s", urls, only, clients, duration, kill, docs,
            drain ? "with drain" : "without drain", syncInterval, searches, queries.source());

        List<Section> sections = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        if (only.contains("load")) {
            Section section = new Section("load");
            ChaosRun run = new ChaosRun(cluster, queries.texts(), clients, duration, kill, docs, drain, section);
            try {
                run.run();
            } catch (Exception e) {
                section.error("load run aborted", e);
                e.printStackTrace(System.out);
            }
            section.finish();
            report.append(run.summary());
            sections.add(section);
        }
        if (only.contains("mixed")) {
            Section section = new Section("mixed");
            MixedNodes mixed = new MixedNodes(cluster, queries.texts(), section);
            try {
                mixed.run();
            } catch (Exception e) {
                section.error("mixed-nodes scenario aborted", e);
                e.printStackTrace(System.out);
            }
            section.finish();
            report.append(mixed.summary());
            sections.add(section);
        }
        if (only.contains("exposure")) {
            Section section = new Section("exposure");
            ExposureCheck exposure = new ExposureCheck(cluster, queries.texts(), syncInterval, searches, section);
            try {
                exposure.run();
            } catch (Exception e) {
                section.error("exposure check aborted", e);
                e.printStackTrace(System.out);
            }
            section.finish();
            report.append(exposure.summary());
            sections.add(section);
        }
        System.out.println();
        System.out.print(report);
        System.out.print(goals(sections));
        System.out.flush();
        System.exit(sections.stream().allMatch(s -> s.failed() == 0) ? 0 : 1);
    }

    static String goals(List<Section> sections) {
        StringBuilder out = new StringBuilder("\n== goals ==\n");
        long failed = 0;
        for (Section s : sections) {
            for (Section.Check c : s.checks()) {
                boolean ok = c.outcome() != Section.Outcome.FAIL;
                out.append(ok ? "  PASS  " : "  FAIL  ").append(s.name()).append(": ").append(c.name());
                if (!ok) {
                    out.append("\n          ").append(c.detail());
                    failed++;
                }
                out.append('\n');
            }
        }
        out.append(failed == 0 ? "== CHAOS PASSED ==\n" : "== CHAOS FAILED (" + failed + " goal(s) missed) ==\n");
        return out.toString();
    }

    private static int positive(String option, String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + n);
        }
        return n;
    }
}
