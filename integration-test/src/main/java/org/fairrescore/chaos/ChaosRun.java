package org.fairrescore.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import org.fairrescore.chaos.LoadStats.Op;
import org.fairrescore.reliability.Http;
import org.fairrescore.reliability.Log;
import org.fairrescore.reliability.Node;
import org.fairrescore.reliability.Section;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The node loss and the rolling restart under the mixed {@link Load}, in phases:
 * <ol>
 *   <li><b>before</b> (a fifth of the duration): the load on a green cluster;</li>
 *   <li><b>node down</b> (at least 15 % of it): {@code kill -9} of one node (the elected cluster manager by default);
 *       its shards' other copies answer, the replicas are promoted;</li>
 *   <li><b>recovering</b>: the node is started again, until the cluster is green with 3 nodes;</li>
 *   <li><b>rolling</b>: a rolling restart of all three, one at a time: searches drained from the node (weighted
 *       routing, see {@link #drain}), graceful stop, start, green, weights back;</li>
 *   <li><b>after</b>: the load until the duration is reached (at least 15 % of it).</li>
 * </ol>
 * Around it: the fixed query set before and after (no writes to its index in between), heap after a full GC per node
 * at the start and the end, the plugin's stats of every node (summed over each node's processes), and at the end
 * every acknowledged document looked up by id.
 */
final class ChaosRun {

    private final ClusterControl cluster;
    private final List<String> texts;
    private final int clients;
    private final int duration;
    private final String killOption;
    private final int docs;
    private final Section section;
    private final boolean drain;

    private Load load;
    private final Map<Phase, Long> phaseStart = new EnumMap<>(Phase.class);
    private final Map<Phase, Long> phaseEnd = new EnumMap<>(Phase.class);
    private final List<String> events = new ArrayList<>();
    private long t0;
    private int victim = -1;
    private long killAt = -1;
    private long leftAt = -1;
    private final long[] heapStart = new long[4];
    private final long[] heapEnd = new long[4];
    /** Stats per node name: at the start, of each process just before it ended, at the end. */
    private final Map<String, JsonNode> statsStart = new LinkedHashMap<>();
    private final Map<String, List<JsonNode>> statsClosed = new LinkedHashMap<>();
    private final Map<String, JsonNode> statsEnd = new LinkedHashMap<>();
    private long seeded;
    private long found = -1;
    private long countAfter = -1;
    private final List<String> lost = new ArrayList<>();
    private Map<String, List<String>> fixedBefore;
    private Map<String, List<String>> fixedAfter;
    private List<String> fixedDiffs = List.of();
    private List<String> disagreeBefore = List.of();
    private List<String> disagreeAfter = List.of();
    private int fixedQueries;

    ChaosRun(ClusterControl cluster, List<String> texts, int clients, int duration, String killOption, int docs, boolean drain, Section section) {
        this.drain = drain;
        this.cluster = cluster;
        this.texts = texts;
        this.clients = clients;
        this.duration = duration;
        this.killOption = killOption;
        this.docs = docs;
        this.section = section;
    }

    private double secs(long nanos) {
        return (nanos - t0) / 1e9;
    }

    private void event(String format, Object... args) {
        String line = String.format(Locale.ROOT, "%6.1f s  ", secs(System.nanoTime())) + String.format(Locale.ROOT, format, args);
        events.add(line);
        Log.line("  %s", line);
    }

    void run() throws Exception {
        Log.line("== load: creating %s and %s (%d documents each, vectors through %s), pipeline %s", ChaosIndex.LIVE, ChaosIndex.FIXED, docs,
            ChaosIndex.EMBED_PIPELINE, ChaosIndex.SEARCH_PIPELINE);
        long setup = System.nanoTime();
        new ChaosIndex(cluster.http(1)).create(docs, docs);
        seeded = docs;
        Log.line("  indices ready in %.1f s", (System.nanoTime() - setup) / 1e9);

        FixedQueries fixed = new FixedQueries(cluster, texts);
        fixedQueries = fixed.size();
        fixedBefore = fixed.run();
        disagreeBefore = fixed.disagreements(fixedBefore);
        for (int n = 1; n <= 3; n++) {
            heapStart[n] = cluster.heapAfterGc(n);
        }
        snapshotAll(statsStart);

        load = new Load(cluster, texts, clients);
        t0 = System.nanoTime();
        phase(Phase.BEFORE);
        load.start();
        event("load started: %d clients", clients);
        sleepUntil(t0 + seconds(duration * 0.2));

        victim = killOption.equals("manager") ? cluster.clusterManager(1) : Integer.parseInt(killOption);
        if (victim < 1) {
            victim = 1;
        }
        boolean wasManager = cluster.clusterManager(victim == 1 ? 2 : 1) == victim;
        closing(victim);
        phase(Phase.NODE_DOWN);
        killAt = System.nanoTime();
        Node.Result killed = cluster.kill(victim);
        event("kill -9 %s%s: %s (cluster.sh kill returned after %.1f s)", cluster.name(victim), wasManager ? " (the elected cluster manager)" : "",
            killed.ok() ? "killed" : killed.output(), (System.nanoTime() - killAt) / 1e9);
        section.check("kill -9 of a node", killed.ok(), killed.output());
        int witness = victim == 1 ? 2 : 1;
        long deadline = System.nanoTime() + seconds(90);
        while (System.nanoTime() < deadline) {
            Set<String> members = cluster.members(witness);
            int manager = cluster.clusterManager(witness);
            if (!members.isEmpty() && !members.contains(cluster.name(victim)) && manager > 0 && manager != victim) {
                leftAt = System.nanoTime();
                event("the cluster dropped %s after %.1f s (cluster manager now %s)", cluster.name(victim), (leftAt - killAt) / 1e9,
                    cluster.name(manager));
                break;
            }
            Thread.sleep(100);
        }
        section.check("the cluster drops the killed node within 90 s", leftAt > 0, "still listed after 90 s");
        sleepUntil(killAt + seconds(Math.max(10, duration * 0.15)));

        phase(Phase.RECOVERING);
        event("starting %s again", cluster.name(victim));
        Node.Result started = cluster.start(victim);
        event("%s back, cluster green with 3 nodes: %s", cluster.name(victim), started.ok() ? "yes" : "NO");
        section.check("the killed node starts again and the cluster turns green", started.ok(), tail(started.output()));

        phase(Phase.ROLLING);
        try {
            rolling();
        } finally {
            if (drain) {
                weights(0); // every zone searched again, also when a restart failed
            }
        }

        phase(Phase.AFTER);
        sleepUntil(Math.max(t0 + seconds(duration), System.nanoTime() + seconds(duration * 0.15)));
        load.stop();
        phaseEnd.put(Phase.AFTER, System.nanoTime());
        event("load stopped");

        finalChecks(fixed);
    }

    private void finalChecks(FixedQueries fixed) throws Exception {
        boolean green = cluster.green(3, 120);
        section.check("the cluster is green with 3 nodes at the end", green, "not green with 3 nodes");
        verifyDocuments();
        fixedAfter = fixed.run();
        disagreeAfter = fixed.disagreements(fixedAfter);
        fixedDiffs = FixedQueries.differences(fixedBefore, fixedAfter);
        for (int n = 1; n <= 3; n++) {
            heapEnd[n] = cluster.heapAfterGc(n);
        }
        snapshotAll(statsEnd);

        LoadStats stats = load.stats();
        section.check("0 acknowledged documents lost", lost.isEmpty() && found >= 0,
            lost.size() + " acknowledged documents not found, e.g. " + lost.subList(0, Math.min(5, lost.size())));
        long outside = 0;
        List<String> examples = new ArrayList<>();
        for (LoadStats.Failure f : stats.failures) {
            if (f.op().search() && !inGrace(f.at())) {
                outside++;
                if (examples.size() < 3) {
                    examples.add(String.format(Locale.ROOT, "%.1f s %s %s: %s", secs(f.at()), f.phase().label, f.op().label, f.detail()));
                }
            }
        }
        section.check("0 failed searches outside the seconds right after the kill", outside == 0, outside + " failed, e.g. " + examples);
        long feasible = 0, held = 0;
        for (LoadStats.QuotaTally q : stats.quota.values()) {
            feasible += q.feasible.sum();
            held += q.feasibleHeld.sum();
        }
        section.check("the quota holds on every pipeline response where it can be met", feasible > 0 && held == feasible,
            (feasible - held) + " of " + feasible + " feasible windows broke the cap, e.g. " + stats.quotaViolations);
        section.check("identical top 10 before and after (fixed query set, every coordinator)",
            fixedDiffs.isEmpty() && !FixedQueries.anyFailed(fixedBefore) && !FixedQueries.anyFailed(fixedAfter),
            fixedDiffs.size() + " differ, e.g. " + fixedDiffs.subList(0, Math.min(3, fixedDiffs.size())));
        section.check("the three coordinators agree on every top 10", disagreeBefore.isEmpty() && disagreeAfter.isEmpty(),
            "before " + disagreeBefore.size() + ", after " + disagreeAfter.size() + ", e.g. "
                + (disagreeBefore.isEmpty() ? disagreeAfter : disagreeBefore).stream().limit(2).toList());
        for (Phase p : Phase.values()) {
            section.check("searches answered in phase " + p.label, stats.searches(p).ok.sum() > 0, "none");
        }
    }

    private void rolling() throws Exception {
        for (int n = 1; n <= 3; n++) {
            long r0 = System.nanoTime();
            if (drain) {
                drain(n);
            }
            closing(n);
            Node.Result restarted = cluster.restart(n);
            event("rolling restart of %s: %s in %.1f s", cluster.name(n), restarted.ok() ? "green" : "FAILED", (System.nanoTime() - r0) / 1e9);
            section.check("rolling restart of " + cluster.name(n) + " ends green", restarted.ok(), tail(restarted.output()));
        }
    }

    /**
     * Routes searches away from node n before it stops: weight 0 for its zone (cluster.sh gives node N the attribute
     * {@code zone: zone-N} and makes {@code zone} an awareness attribute), then waits until the node runs no query
     * and no fetch any more. Without it, a fetch phase in flight to a stopping node fails (OpenSearch cannot move a
     * fetch to another copy: the query's search context lives on that node), and the search answers with a failed
     * shard or a 500 ({@code --no-drain} shows it).
     */
    private void drain(int n) throws Exception {
        long d0 = System.nanoTime();
        weights(n);
        long deadline = d0 + seconds(15);
        int quiet = 0;
        while (System.nanoTime() < deadline && quiet < 3) {
            Http.Reply stats = cluster.http(n).get("/_nodes/_local/stats/indices/search");
            JsonNode search = stats.json().path("nodes").elements().hasNext()
                ? stats.json().path("nodes").elements().next().path("indices").path("search")
                : Http.JSON.missingNode();
            boolean idle = stats.status() == 200 && search.path("query_current").asLong(-1) == 0 && search.path("fetch_current").asLong(-1) == 0;
            quiet = idle ? quiet + 1 : 0;
            Thread.sleep(200);
        }
        event("searches drained from %s (weight 0 for zone-%d) in %.1f s", cluster.name(n), n, (System.nanoTime() - d0) / 1e9);
    }

    /** Search weights of the three zones: 0 for node {@code zero}'s zone (none when 0), 1 for the others. */
    private void weights(int zero) throws Exception {
        Http http = cluster.http(cluster.anyLive());
        Http.Reply current = http.get("/_cluster/routing/awareness/zone/weights");
        long version = current.status() == 200 && current.json().has("_version") ? current.json().path("_version").asLong() : -1;
        String body = String.format(Locale.ROOT, "{\"weights\": {\"zone-1\": \"%d\", \"zone-2\": \"%d\", \"zone-3\": \"%d\"}, \"_version\": %d}",
            zero == 1 ? 0 : 1, zero == 2 ? 0 : 1, zero == 3 ? 0 : 1, version);
        ChaosIndex.expectOk(http.call("PUT", "/_cluster/routing/awareness/zone/weights", body), "search weights " + body);
    }

    /** The seconds right after the kill: from the kill until the cluster dropped the node (or 90 s when it never did). */
    private boolean inGrace(long at) {
        return killAt > 0 && at >= killAt && at <= (leftAt > 0 ? leftAt : killAt + seconds(90));
    }

    private void verifyDocuments() throws Exception {
        int via = cluster.anyLive();
        Http http = cluster.http(via);
        ChaosIndex.expectOk(http.call("POST", "/" + ChaosIndex.LIVE + "/_refresh", (String) null), "refresh");
        Http.Reply count = http.get("/" + ChaosIndex.LIVE + "/_count");
        countAfter = count.json().path("count").asLong(-1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < seeded; i++) {
            ids.add("seed-" + i);
        }
        ids.addAll(new TreeSet<>(load.acked()));
        long hits = 0;
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + 500));
            Http.Reply reply = http.call("POST", "/" + ChaosIndex.LIVE + "/_mget?_source=false", Http.JSON.writeValueAsString(Map.of("ids", batch)));
            ChaosIndex.expectOk(reply, "mget");
            for (JsonNode doc : reply.json().path("docs")) {
                if (doc.path("found").asBoolean(false)) {
                    hits++;
                } else {
                    lost.add(doc.path("_id").asText());
                }
            }
        }
        found = hits;
    }

    private void phase(Phase p) {
        Phase previous = null;
        for (Phase q : Phase.values()) {
            if (phaseStart.containsKey(q) && !phaseEnd.containsKey(q)) {
                previous = q;
            }
        }
        long now = System.nanoTime();
        if (previous != null) {
            phaseEnd.put(previous, now);
        }
        phaseStart.put(p, now);
        if (load != null) {
            load.phase(p);
        }
    }

    /** Stats of node n's process, which is about to end. */
    private void closing(int n) {
        try {
            JsonNode all = cluster.pluginStats(n);
            all.forEach(node -> {
                if (node.path("name").asText().equals(cluster.name(n))) {
                    statsClosed.computeIfAbsent(cluster.name(n), k -> new ArrayList<>()).add(node);
                }
            });
        } catch (Exception e) {
            Log.line("  (no stats of %s before it goes down: %s)", cluster.name(n), e.getMessage());
        }
    }

    private void snapshotAll(Map<String, JsonNode> into) throws Exception {
        cluster.pluginStats(cluster.anyLive()).forEach(node -> into.put(node.path("name").asText(), node));
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(1000, Math.max(1, left / 1_000_000)));
        }
    }

    private static String tail(String output) {
        String[] lines = output.strip().split("\n");
        return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length));
    }

    static long counter(JsonNode node, String path) {
        JsonNode at = node;
        for (String part : path.split("\\.")) {
            at = at.path(part);
        }
        return at.asLong(0);
    }

    /** A counter over the whole run: each ended process's last reading, plus the end, minus the start. */
    private long runTotal(String name, String path) {
        long total = statsEnd.containsKey(name) ? counter(statsEnd.get(name), path) : 0;
        for (JsonNode closed : statsClosed.getOrDefault(name, List.of())) {
            total += counter(closed, path);
        }
        if (statsStart.containsKey(name)) {
            total -= counter(statsStart.get(name), path);
        }
        return total;
    }

    // ---- the summary --------------------------------------------------------------------------------------------

    String summary() {
        StringBuilder out = new StringBuilder();
        out.append("== chaos summary: node loss and rolling restart under load ==\n");
        if (load == null) {
            return out.append("(the load never started)\n").toString();
        }
        for (String e : events) {
            out.append("  ").append(e).append('\n');
        }
        LoadStats stats = load.stats();
        out.append('\n').append(String.format(Locale.ROOT, "%-11s %6s %8s %6s %7s %7s %8s  %s%n", "phase", "secs", "searches", "failed",
            "p50 ms", "p99 ms", "elsewhere", "failures by reason"));
        long totalSearches = 0, totalFailed = 0;
        for (Phase p : Phase.values()) {
            LoadStats.Cell c = stats.searches(p);
            double secs = phaseStart.containsKey(p) ? ((phaseEnd.getOrDefault(p, System.nanoTime()) - phaseStart.get(p)) / 1e9) : 0;
            out.append(String.format(Locale.ROOT, "%-11s %6.1f %8d %6d %7.0f %7.0f %8d  %s%n", p.label, secs, c.total(), c.failed.sum(),
                LoadStats.percentileMs(c.latencies, 0.5), LoadStats.percentileMs(c.latencies, 0.99), c.failedOver.sum(),
                reasons(c.reasons)));
            totalSearches += c.total();
            totalFailed += c.failed.sum();
        }
        long inGrace = stats.failures.stream().filter(f -> f.op().search() && inGrace(f.at())).count();
        out.append(String.format(Locale.ROOT, "%-11s %6.1f %8d %6d   (of the failed: %d in the %.1f s from the kill until the cluster dropped the node)%n",
            "total", phaseEnd.containsKey(Phase.AFTER) ? secs(phaseEnd.get(Phase.AFTER)) : 0, totalSearches, totalFailed, inGrace,
            leftAt > 0 ? (leftAt - killAt) / 1e9 : Double.NaN));
        out.append("  'elsewhere': answered by another node than the client's own after a connection error (client-side failover)\n");

        out.append('\n').append(String.format(Locale.ROOT, "%-11s %-32s %-32s %s%n", "phase", "search / +pipeline (ok, failed)",
            "bulk requests (ok, failed, items)", "settings updates (ok, failed)"));
        for (Phase p : Phase.values()) {
            LoadStats.Cell s = stats.cell(p, Op.SEARCH), sp = stats.cell(p, Op.SEARCH_PIPELINE), b = stats.cell(p, Op.BULK),
                u = stats.cell(p, Op.SETTINGS);
            out.append(String.format(Locale.ROOT, "%-11s %-32s %-32s %s%n", p.label,
                s.ok.sum() + "/" + s.failed.sum() + " , " + sp.ok.sum() + "/" + sp.failed.sum(),
                b.ok.sum() + "/" + b.failed.sum() + " , " + stats.itemsAcked.get(p).sum() + " acked",
                u.ok.sum() + "/" + u.failed.sum() + (u.failed.sum() > 0 ? " " + reasons(u.reasons) : "")));
        }
        Map<String, Long> bulkReasons = new LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            LoadStats.sorted(stats.cell(p, Op.BULK).reasons).forEach((r, n) -> bulkReasons.merge(p.label + ": " + r, n, Long::sum));
        }
        if (!bulkReasons.isEmpty()) {
            out.append("  bulk failures: ").append(bulkReasons).append('\n');
        }
        if (!stats.itemErrors.isEmpty()) {
            out.append("  bulk items refused (not acknowledged, not counted): ").append(LoadStats.sorted(stats.itemErrors)).append('\n');
        }

        long acked = seeded + load.acked().size();
        out.append('\n').append(String.format(Locale.ROOT,
            "documents: %d acknowledged (%d seeded + %d by the load), %d of them found by id, %d lost; %s holds %d documents%s%n", acked,
            seeded, load.acked().size(), found, lost.size(), ChaosIndex.LIVE, countAfter,
            countAfter > acked ? " (" + (countAfter - acked) + " written without an acknowledgement, e.g. a bulk cut off by the kill)" : ""));

        long responses = 0, feasible = 0, held = 0, infeasible = 0, undetermined = 0;
        for (LoadStats.QuotaTally q : stats.quota.values()) {
            responses += q.responses.sum();
            feasible += q.feasible.sum();
            held += q.feasibleHeld.sum();
            infeasible += q.infeasible.sum();
            undetermined += q.undetermined.sum();
        }
        out.append(String.format(Locale.ROOT,
            "quota (cap %d per shop in any %d, checked over each pipeline response's merged window of %d): %d responses; the cap could be met in %d "
                + "and held in %d (%.1f %%); could not be met in %d (no arrangement of the window's shops meets it); undetermined %d%n",
            ChaosIndex.MAX_PER_SHOP, ChaosIndex.CAP_WINDOW, ChaosIndex.PIPELINE_SIZE, responses, feasible, held,
            feasible == 0 ? 0.0 : 100.0 * held / feasible, infeasible, undetermined));
        for (String v : stats.quotaViolations) {
            out.append("  violation: ").append(v).append('\n');
        }

        int compared = fixedBefore == null ? 0 : fixedBefore.size();
        out.append(String.format(Locale.ROOT,
            "top 10 before/after (%d queries x rescore and pipeline x 3 coordinators, on %s): %d of %d identical; coordinators disagreed "
                + "%d times before, %d after%n",
            fixedQueries, ChaosIndex.FIXED, compared - fixedDiffs.size(), compared, disagreeBefore.size(), disagreeAfter.size()));
        for (String d : fixedDiffs.subList(0, Math.min(3, fixedDiffs.size()))) {
            out.append("  differs: ").append(d).append('\n');
        }

        out.append('\n').append(String.format(Locale.ROOT, "%-13s %-16s %-16s %s%n", "heap after GC", "start MB", "end MB", ""));
        for (int n = 1; n <= 3; n++) {
            out.append(String.format(Locale.ROOT, "%-13s %-16.0f %-16.0f %s%n", cluster.name(n), heapStart[n] / 1e6, heapEnd[n] / 1e6,
                "(a new process since the rolling restart)"));
        }

        out.append('\n').append("plugin stats per node over the run (each process's last reading summed, minus the start):\n");
        out.append(String.format(Locale.ROOT, "%-13s %8s %8s %7s %8s %8s %9s %13s %16s %10s  %s%n", "node", "windows", "batches", "qcache",
            "stored", "on-fly", "ingest", "rescore cap", "pipeline cap", "isolation", "models (end)"));
        out.append(String.format(Locale.ROOT, "%-13s %8s %8s %7s %8s %8s %9s %13s %16s %10s%n", "", "", "", "hit %", "vectors", "embedded",
            "emb/fail", "windows/unmet", "windows/moved/un", "t/rej/brk"));
        for (int n = 1; n <= 3; n++) {
            String name = cluster.name(n);
            long hit = runTotal(name, "query_cache.hit_count"), miss = runTotal(name, "query_cache.miss_count");
            JsonNode end = statsEnd.get(name);
            List<String> models = new ArrayList<>();
            if (end != null) {
                end.path("models").fieldNames().forEachRemaining(models::add);
            }
            out.append(String.format(Locale.ROOT, "%-13s %8d %8d %7.1f %8d %8d %9s %13s %16s %10s  %s%n", name, runTotal(name, "rescore.windows"),
                runTotal(name, "inference.batches"), hit + miss == 0 ? 0.0 : 100.0 * hit / (hit + miss),
                runTotal(name, "documents.stored_vectors"), runTotal(name, "documents.embedded_on_the_fly"),
                runTotal(name, "ingest.embedded") + "/" + runTotal(name, "ingest.failed"),
                runTotal(name, "quota.rescore.cap.windows") + "/" + runTotal(name, "quota.rescore.cap.unmet_windows"),
                runTotal(name, "quota.pipeline.cap.windows") + "/" + runTotal(name, "quota.pipeline.cap.moved") + "/"
                    + runTotal(name, "quota.pipeline.cap.unmet_windows"),
                runTotal(name, "isolation.timeouts") + "/" + runTotal(name, "isolation.rejected") + "/" + runTotal(name, "isolation.breaker_trips"),
                models));
        }
        return out.append('\n').toString();
    }

    static String reasons(Map<String, java.util.concurrent.atomic.LongAdder> reasons) {
        Map<String, Long> sorted = LoadStats.sorted(reasons);
        if (sorted.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        sorted.forEach((r, n) -> out.append(out.length() == 0 ? "" : "; ").append(n).append(" ").append(r));
        return out.toString();
    }
}
