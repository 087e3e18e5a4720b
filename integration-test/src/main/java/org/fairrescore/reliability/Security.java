package org.fairrescore.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The security section ({@code --sections security}): the installed plugin's policy grants nothing but
 * {@code loadLibrary.*} (ONNX Runtime extracts its JNI library into the node's {@code tmp/}, which the agent allows
 * every plugin by default, and loads it); {@code fair_rescore.models_path} outside the config folder fails node start
 * naming the setting; and calling every plugin endpoint writes no file in the node's home outside {@code data/} (index
 * files, translog and cluster state: what any search or index request churns), {@code logs/} (log lines) and
 * {@code tmp/} (the JVM's and JNA's scratch).
 */
final class Security {

    private static final Pattern PERMISSION = Pattern.compile("permission\\s+([\\w.$]+)\\s+\"([^\"]*)\"(?:\\s*,\\s*\"([^\"]*)\")?\\s*;");

    private Security() {}

    static void run(Http http, Node node, Fixture fixture, Section section) throws Exception {
        policy(node, section);
        noFileWrites(http, node, fixture, section);
        for (String outside : new String[] {"/tmp/rel-models", "../../rel-models"}) {
            long mark = node.logMark();
            node.stop();
            Node.Result start = node.start("fair_rescore.models_path=" + outside);
            String said = start.output() + node.logSince(mark);
            section.check("models_path " + outside + " fails node start naming the setting", !start.ok() && said.contains("fair_rescore.models_path"),
                start.ok() ? "the node started" : "no message naming fair_rescore.models_path: " + tail(said));
            if (start.ok()) {
                node.stop();
            }
        }
        Node.Result normal = node.start();
        section.check("node starts again with the default models_path", normal.ok(), normal.output());
    }

    private static void policy(Node node, Section section) throws IOException {
        Path file = node.pluginDir().resolve("plugin-security.policy");
        String text = Files.readString(file).replaceAll("//[^\n]*", "").replaceAll("(?s)/\\*.*?\\*/", "");
        List<String> grants = new ArrayList<>();
        Matcher m = PERMISSION.matcher(text);
        while (m.find()) {
            grants.add(m.group(1) + " " + m.group(2) + (m.group(3) == null ? "" : " " + m.group(3)));
        }
        section.check("policy grants only loadLibrary.*", grants.equals(List.of("java.lang.RuntimePermission loadLibrary.*")),
            "grants " + grants);
        section.check("policy has exactly one grant block", text.split("grant\\s*\\{", -1).length == 2, "grant blocks: " + text);
        section.figure("policy", String.join("; ", grants));
    }

    private static void noFileWrites(Http http, Node node, Fixture fixture, Section section) throws Exception {
        Map<String, String> before = files(node.home());
        String[][] calls = {
            {"GET", "/_plugins/_fair_rescore/stats", null},
            {"GET", "/_plugins/_fair_rescore/_local/stats", null},
            {"GET", "/_plugins/_fair_rescore/_embed", "{\"text\": \"write nothing\"}"},
            {"POST", "/_plugins/_fair_rescore/_embed", "{\"texts\": [\"write\", \"nothing\"]}"},
            {"POST", "/_plugins/_fair_rescore/_embed?include_vector=false", "{\"text\": \"tokens only\"}"},
            {"POST", "/" + Fixture.CATALOG + "/_search", Fixture.rescore("no files please", 20, 0.5, true)},
            {"POST", "/" + Fixture.ON_THE_FLY + "/_search", Fixture.rescore("no files please", 20, 0.5, true)},
            {"PUT", "/_search/pipeline/rel-sec", "{\"request_processors\": [{\"fair_rescore\": {}}], \"response_processors\": [{\"fair_rescore\": {}}]}"},
            {"POST", "/" + Fixture.CATALOG + "/_search?search_pipeline=rel-sec", Fixture.rescore("no files please", 20, 0.5, false)},
            {"DELETE", "/_search/pipeline/rel-sec", null},
            {"PUT", "/" + Fixture.CATALOG + "/_doc/sec-1?pipeline=" + Fixture.PIPELINE + "&refresh=true", "{\"title\": \"sandals\", \"shop\": \"sockery\"}"},
            {"DELETE", "/" + Fixture.CATALOG + "/_doc/sec-1?refresh=true", null},
        };
        int failed = 0;
        for (String[] c : calls) {
            Http.Reply r = http.call(c[0], c[1], c[2]);
            if (r.status() / 100 != 2) {
                failed++;
                section.check("endpoint " + c[0] + " " + c[1], false, r.brief());
            }
        }
        section.check("every plugin endpoint answered 2xx", failed == 0, failed + " failed");
        Map<String, String> after = files(node.home());
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> e : after.entrySet()) {
            if (!e.getValue().equals(before.get(e.getKey()))) {
                changed.add(e.getKey());
            }
        }
        before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(k -> changed.add("(removed) " + k));
        section.check("no file written outside data/, logs/, tmp/", changed.isEmpty(), "changed: " + changed);
        section.figure("files watched", Integer.toString(after.size()));
    }

    /** Path -> size and modification time of every file under the home, except data/, logs/ and tmp/. */
    private static Map<String, String> files(Path home) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String rel = home.relativize(p).toString();
                if (rel.startsWith("data") || rel.startsWith("logs") || rel.startsWith("tmp") || rel.equals("node.pid")) {
                    continue;
                }
                if (Files.isRegularFile(p)) {
                    out.put(rel, Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
                }
            }
        }
        return out;
    }

    private static String tail(String s) {
        return s.length() > 600 ? "..." + s.substring(s.length() - 600) : s;
    }
}
