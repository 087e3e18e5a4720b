package org.fairrescore.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real node under test, driven through {@code integration-test/node.sh} (same environment: FR_HTTP_PORT,
 * FR_NODE_HOME, ...): restarts with extra {@code -E} settings, its home, pid and log, and heap used after a full GC.
 */
public final class Node {

    /** What a node.sh command printed and returned. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path nodeSh;
    private final Http http;
    private final Path home;

    public Node(Path nodeSh, Http http) throws IOException, InterruptedException {
        this.nodeSh = nodeSh;
        this.http = http;
        this.home = Path.of(run(List.of("home"), 30).output().strip());
    }

    public Path home() {
        return home;
    }

    public Path configDir() {
        return home.resolve("config");
    }

    public Path pluginDir() {
        return home.resolve("plugins/fair-rescore");
    }

    public Result stop() throws IOException, InterruptedException {
        return run(List.of("stop"), 120);
    }

    /** Stops and starts with these node settings ({@code key=value}, given as {@code -Ekey=value}); waits for green. */
    public Result restart(String... settings) throws IOException, InterruptedException {
        Result stopped = stop();
        if (!stopped.ok()) {
            return stopped;
        }
        return start(settings);
    }

    public Result start(String... settings) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("start"));
        for (String s : settings) {
            args.add("-E" + s);
        }
        return run(args, 400);
    }

    /** The node's pid, or -1 when it is not running. */
    public long pid() throws IOException {
        Path file = home.resolve("node.pid");
        if (!Files.isRegularFile(file)) {
            return -1;
        }
        long pid = Long.parseLong(Files.readString(file).strip());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? pid : -1;
    }

    public Path log() {
        return home.resolve("logs/fair-rescore-it.log");
    }

    /** Bytes of the node log now: checks read what the node logged after this mark. */
    public long logMark() throws IOException {
        return Files.isRegularFile(log()) ? Files.size(log()) : 0;
    }

    public String logSince(long mark) throws IOException {
        if (!Files.isRegularFile(log())) {
            return "";
        }
        byte[] all = Files.readAllBytes(log());
        int from = (int) Math.min(Math.max(0, mark), all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /**
     * Heap used after a full GC: {@code jcmd <pid> GC.run}, as the node's user (the attach socket is the JVM
     * owner's), then {@code _nodes/_local/stats/jvm}. Two collections, so objects freed by finalization-like cleaners
     * in the first one (ONNX tensors, direct buffers) go in the second.
     */
    public long heapUsedAfterGc() throws IOException, InterruptedException {
        long pid = pid();
        if (pid < 0) {
            throw new IllegalStateException("the node is not running");
        }
        return heapUsedAfterGc(pid, http);
    }

    /**
     * Heap used after a full GC of the node with this pid, whose HTTP address {@code http} is (the chaos run measures
     * each node of a cluster so): {@code jcmd <pid> GC.run} twice as the node's user, then {@code _nodes/_local/stats/jvm}.
     */
    public static long heapUsedAfterGc(long pid, Http http) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        for (int i = 0; i < 2; i++) {
            List<String> cmd = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
            }
            cmd.addAll(List.of(jcmd.toString(), Long.toString(pid), "GC.run"));
            Result gc = exec(cmd, 60);
            if (!gc.ok()) {
                throw new IOException("jcmd GC.run failed (exit " + gc.exitCode() + "): " + gc.output());
            }
        }
        Http.Reply stats = http.get("/_nodes/_local/stats/jvm");
        if (stats.status() != 200) {
            throw new IOException("_nodes/stats/jvm: " + stats.brief());
        }
        return stats.json().path("nodes").elements().next().path("jvm").path("mem").path("heap_used_in_bytes").asLong();
    }

    public boolean green() throws IOException, InterruptedException {
        Http.Reply health = http.get("/_cluster/health?wait_for_status=green&timeout=30s");
        return health.status() == 200 && "green".equals(health.json().path("status").asText());
    }

    private Result run(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(nodeSh.toString());
        cmd.addAll(args);
        return exec(cmd, timeoutSeconds);
    }

    /** Runs a command with its output in a temporary file (a hung child cannot block on a pipe), at most this long. */
    public static Result exec(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        // output to a file, not a pipe: a hung child cannot block us past the timeout
        Path out = Files.createTempFile("reliability-exec", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(124, Files.readString(out) + "\n(timed out after " + timeoutSeconds + " s)");
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
