package org.fairrescore.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import org.fairrescore.reliability.Http;
import org.fairrescore.reliability.Node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The three-node cluster of {@code integration-test/cluster.sh}, driven through that script (same environment:
 * FR_CLUSTER_HTTP_PORT, FR_NODE_HOME, ...): kill, stop, start and restart one node, which node is the elected cluster
 * manager, each node's pid and its heap used after a full GC. Node numbers are 1-based, as in cluster.sh.
 */
final class ClusterControl {

    private final Path clusterSh;
    private final Path clusterDir;
    private final List<Http> nodes = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    ClusterControl(Path clusterSh, List<String> urls) throws IOException, InterruptedException {
        this.clusterSh = clusterSh;
        Node.Result dir = Node.exec(List.of(clusterSh.toString(), "dir"), 30);
        if (!dir.ok()) {
            throw new IOException("cluster.sh dir failed: " + dir.output());
        }
        this.clusterDir = Path.of(dir.output().strip());
        for (String url : urls) {
            nodes.add(new Http(url));
        }
        for (int n = 1; n <= nodes.size(); n++) {
            names.add("fr-cluster-" + n);
        }
    }

    int size() {
        return nodes.size();
    }

    /** Node {@code n}'s HTTP client. */
    Http http(int n) {
        return nodes.get(n - 1);
    }

    String name(int n) {
        return names.get(n - 1);
    }

    /** The node number of a node name, or -1. */
    int number(String name) {
        int i = names.indexOf(name);
        return i < 0 ? -1 : i + 1;
    }

    Node.Result kill(int n) throws IOException, InterruptedException {
        return run(60, "kill", Integer.toString(n));
    }

    Node.Result stop(int n) throws IOException, InterruptedException {
        return run(120, "stop", Integer.toString(n));
    }

    /** Starts node n with these extra cluster.sh arguments ({@code -Ekey=value}, {@code --without-plugin}, ...). */
    Node.Result start(int n, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("start", Integer.toString(n)));
        all.addAll(List.of(args));
        return run(400, all.toArray(String[]::new));
    }

    Node.Result restart(int n, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("restart", Integer.toString(n)));
        all.addAll(List.of(args));
        return run(500, all.toArray(String[]::new));
    }

    private Node.Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(clusterSh.toString());
        cmd.addAll(List.of(args));
        return Node.exec(cmd, timeoutSeconds);
    }

    /** Node n's pid, or -1 when it is not running. */
    long pid(int n) throws IOException {
        Path file = clusterDir.resolve("node-" + n).resolve("node.pid");
        if (!Files.isRegularFile(file)) {
            return -1;
        }
        long pid = Long.parseLong(Files.readString(file).strip());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? pid : -1;
    }

    Path log(int n) {
        return clusterDir.resolve("node-" + n).resolve("logs").resolve("fair-rescore-cluster.log");
    }

    long heapAfterGc(int n) throws IOException, InterruptedException {
        long pid = pid(n);
        if (pid < 0) {
            throw new IllegalStateException(name(n) + " is not running");
        }
        return Node.heapUsedAfterGc(pid, http(n));
    }

    /** The first node (from n = 1) whose HTTP answers; an exception when none does. */
    int anyLive() throws IOException {
        IOException last = null;
        for (int n = 1; n <= size(); n++) {
            try {
                if (http(n).get("/").status() == 200) {
                    return n;
                }
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException("no node of the cluster answers", last);
    }

    /** The names of the nodes in the cluster, as node {@code via} sees it. */
    Set<String> members(int via) throws IOException, InterruptedException {
        Http.Reply reply = http(via).get("/_cat/nodes?format=json&h=name&cluster_manager_timeout=5s");
        Set<String> out = new LinkedHashSet<>();
        if (reply.status() == 200) {
            reply.json().forEach(node -> out.add(node.path("name").asText()));
        }
        return out;
    }

    /** The node number of the elected cluster manager as node {@code via} sees it, or -1 when there is none. */
    int clusterManager(int via) throws IOException, InterruptedException {
        Http.Reply reply = http(via).get("/_cat/cluster_manager?format=json&cluster_manager_timeout=5s");
        if (reply.status() != 200 || reply.json().size() == 0) {
            return -1;
        }
        return number(reply.json().get(0).path("node").asText());
    }

    /** Green with {@code nodes} nodes within {@code seconds}, asked of any live node. */
    boolean green(int nodes, int seconds) throws IOException, InterruptedException {
        Http.Reply health = http(anyLive()).call("GET", "/_cluster/health?wait_for_status=green&wait_for_nodes=" + nodes + "&timeout=" + seconds
            + "s", (String) null);
        return health.status() == 200 && "green".equals(health.json().path("status").asText())
            && health.json().path("number_of_nodes").asInt() == nodes;
    }

    /** The plugin's stats of every node, by node name, asked of node {@code via}. */
    JsonNode pluginStats(int via) throws IOException, InterruptedException {
        Http.Reply reply = http(via).get("/_plugins/_fair_rescore/stats");
        if (reply.status() != 200) {
            throw new IOException("plugin stats via " + name(via) + ": " + reply.brief());
        }
        return reply.json().path("nodes");
    }
}
