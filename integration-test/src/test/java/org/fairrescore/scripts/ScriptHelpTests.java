package org.fairrescore.scripts;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every script a user runs answers {@code --help} (exit 0, a {@code Usage:} line naming it, an example) and refuses an
 * unknown option (exit 2, the synopsis on stderr), both without a JDK or Maven and without starting anything: here
 * {@code java}, {@code mvn} and every JDK the scripts could find are fakes that leave a mark when run. The options a
 * script hands to a Java tool are checked against that tool's parser; the JDK discovery of {@code lib/common.sh} is
 * checked on fake JDKs, and its {@code fr_java}, the one way the scripts start a Java tool, on a fake {@code java}.
 */
public class ScriptHelpTests {

    /** The scripts, relative to integration-test/. */
    static final List<String> SCRIPTS = List.of("demo.sh", "test-all.sh", "node.sh", "cluster.sh", "chaos.sh", "report.sh",
        "reliability.sh", "bench/bench.sh", "jmh.sh", "cuda-check.sh", "../.ci/run");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path itDir;
    private Path marker;
    private Map<String, String> poisoned;

    @Before
    public void poisonTheTools() throws IOException {
        itDir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        assertTrue("run from integration-test/ (basedir " + itDir + ")", Files.isRegularFile(itDir.resolve("lib/common.sh")));
        marker = tmp.getRoot().toPath().resolve("ran");
        Path bin = Files.createDirectories(tmp.getRoot().toPath().resolve("bin"));
        Path jdk = Files.createDirectories(tmp.getRoot().toPath().resolve("jvm/fake-jdk/bin"));
        String leaveMark = "#!/bin/sh\necho \"$0 $*\" >> '" + marker + "'\nexit 97\n";
        for (Path tool : List.of(bin.resolve("java"), bin.resolve("javac"), bin.resolve("mvn"), bin.resolve("setpriv"),
            bin.resolve("curl"), jdk.resolve("java"), jdk.resolve("javac"))) {
            executable(tool, leaveMark);
        }
        poisoned = new LinkedHashMap<>();
        poisoned.put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        poisoned.put("JAVA_HOME", jdk.getParent().toString());
        poisoned.put("FR_JAVA_HOME", jdk.getParent().toString());
        poisoned.put("FR_JDK_SEARCH", tmp.getRoot().toPath().resolve("jvm") + "/*");
        poisoned.put("FR_HTTP_PORT", "1"); // nothing may be contacted either
    }

    @Test
    public void everyScriptAnswersHelp() throws Exception {
        for (String script : SCRIPTS) {
            for (String flag : List.of("--help", "-h")) {
                Run run = run(poisoned, "bash", itDir.resolve(script).toString(), flag);
                String what = script + " " + flag + ": " + run;
                assertEquals(what, 0, run.exit);
                assertTrue(what, run.out.startsWith("Usage: "));
                String name = Path.of(script).getFileName().toString();
                assertTrue(what, run.out.lines().findFirst().orElse("").contains(name));
                assertTrue(what, run.out.contains("\nExample"));
                assertTrue(what, run.out.contains("Takes "));
                assertEquals(what, "", run.err);
            }
        }
        assertNothingRan();
    }

    @Test
    public void everyScriptRefusesAnUnknownOption() throws Exception {
        for (String script : SCRIPTS) {
            Run run = run(poisoned, "bash", itDir.resolve(script).toString(), "--no-such-option");
            String what = script + " --no-such-option: " + run;
            assertEquals(what, 2, run.exit);
            assertTrue(what, run.err.contains("--no-such-option"));
            assertTrue(what, run.err.contains("Usage: "));
            assertEquals(what, "", run.out);
        }
        assertNothingRan();
    }

    @Test
    public void nodeShVerbs() throws Exception {
        String node = itDir.resolve("node.sh").toString();
        for (String help : List.of("help", "--help", "-h")) {
            Run run = run(poisoned, "bash", node, help);
            assertEquals(run.toString(), 0, run.exit);
            assertTrue(run.toString(), run.out.startsWith("Usage: integration-test/node.sh"));
        }
        Run withVerb = run(poisoned, "bash", node, "start", "--help");
        assertEquals(withVerb.toString(), 0, withVerb.exit);
        for (List<String> wrong : List.<List<String>>of(List.of(), List.of("launch"), List.of("start", "--port", "1"),
            List.of("stop", "now"), List.of("install"), List.of("logs", "-x"))) {
            List<String> command = new ArrayList<>(List.of("bash", node));
            command.addAll(wrong);
            Run run = run(poisoned, command.toArray(String[]::new));
            assertEquals(wrong + ": " + run, 2, run.exit);
            assertTrue(wrong + ": " + run, run.err.contains("Usage: integration-test/node.sh"));
        }
        assertNothingRan();
    }

    @Test
    public void clusterShVerbs() throws Exception {
        String cluster = itDir.resolve("cluster.sh").toString();
        for (String help : List.of("help", "--help", "-h")) {
            Run run = run(poisoned, "bash", cluster, help);
            assertEquals(run.toString(), 0, run.exit);
            assertTrue(run.toString(), run.out.startsWith("Usage: integration-test/cluster.sh"));
        }
        for (List<String> withHelp : List.<List<String>>of(List.of("up", "--help"), List.of("kill", "2", "-h"), List.of("restart", "1", "--help"))) {
            List<String> command = new ArrayList<>(List.of("bash", cluster));
            command.addAll(withHelp);
            Run run = run(poisoned, command.toArray(String[]::new));
            assertEquals(withHelp + ": " + run, 0, run.exit);
        }
        for (List<String> wrong : List.<List<String>>of(List.of(), List.of("launch"), List.of("kill"), List.of("kill", "4"),
            List.of("kill", "0"), List.of("kill", "1", "2"), List.of("start", "x"), List.of("start", "2", "--port", "1"),
            List.of("restart"), List.of("up", "--skip"), List.of("down", "now"), List.of("status", "1"), List.of("logs"),
            List.of("logs", "1", "-x"), List.of("dir", "x"))) {
            List<String> command = new ArrayList<>(List.of("bash", cluster));
            command.addAll(wrong);
            Run run = run(poisoned, command.toArray(String[]::new));
            assertEquals(wrong + ": " + run, 2, run.exit);
            assertTrue(wrong + ": " + run, run.err.contains("Usage: integration-test/cluster.sh"));
            assertEquals(wrong + ": " + run, "", run.out);
        }
        assertNothingRan();
    }

    @Test
    public void helpListsEveryOptionOfTheToolsItHandsOn() throws Exception {
        Path java = itDir.resolve("src/main/java/org/fairrescore");
        Pattern caseLabel = Pattern.compile("case \"(--[a-z-]+)\"");
        checkOptions("report.sh", options(java.resolve("eval/EvalReport.java"), caseLabel), Set.of());
        checkOptions("demo.sh", options(java.resolve("demo/Demo.java"), caseLabel), Set.of());
        checkOptions("reliability.sh", options(java.resolve("reliability/Reliability.java"), caseLabel),
            Set.of("--url", "--node-sh"));
        checkOptions("chaos.sh", options(java.resolve("chaos/Chaos.java"), caseLabel), Set.of("--urls", "--cluster-sh"));
        Set<String> bench = options(itDir.resolve("bench/src/main/java/org/fairrescore/bench/VectorBench.java"),
            Pattern.compile("opts\\.put\\(\"([a-z-]+)\""));
        Set<String> benchOptions = new TreeSet<>();
        bench.forEach(o -> benchOptions.add("--" + o));
        checkOptions("bench/bench.sh", benchOptions, Set.of("--url", "--models", "--esci", "--wands"));
        // the lists report.sh and bench.sh check arguments against hold exactly the tool's options
        assertEquals(options(java.resolve("eval/EvalReport.java"), caseLabel),
            shellArray("report.sh", "EVAL_VALUE_OPTIONS", "EVAL_FLAG_OPTIONS"));
        Set<String> expectedBench = new TreeSet<>(benchOptions);
        expectedBench.removeAll(Set.of("--url", "--models", "--esci", "--wands"));
        assertEquals(expectedBench, shellArray("bench/bench.sh", "BENCH_OPTIONS"));
        // the same for --saturate and SaturateBench
        Set<String> setBySaturate = Set.of("--url", "--pid", "--clock-ticks", "--esci", "--wands");
        Set<String> saturateOptions = new TreeSet<>();
        options(itDir.resolve("bench/src/main/java/org/fairrescore/bench/SaturateBench.java"), Pattern.compile("opts\\.put\\(\"([a-z-]+)\""))
            .forEach(o -> saturateOptions.add("--" + o));
        checkOptions("bench/bench.sh", saturateOptions, setBySaturate);
        Set<String> expectedSaturate = new TreeSet<>(saturateOptions);
        expectedSaturate.removeAll(setBySaturate);
        assertEquals(expectedSaturate, shellArray("bench/bench.sh", "SATURATE_OPTIONS"));
    }

    private void checkOptions(String script, Set<String> toolOptions, Set<String> setByScript) throws Exception {
        assertFalse(script + ": no options found in its tool", toolOptions.isEmpty());
        String help = run(poisoned, "bash", itDir.resolve(script).toString(), "--help").out;
        for (String option : toolOptions) {
            if (setByScript.contains(option) == false) {
                assertTrue(script + " --help does not mention " + option, Pattern.compile(Pattern.quote(option) + "\\b")
                    .matcher(help).find());
            }
        }
    }

    private static Set<String> options(Path source, Pattern pattern) throws IOException {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(Files.readString(source));
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** The words of bash arrays NAME=(...) in a script, which may span lines. */
    private Set<String> shellArray(String script, String... names) throws IOException {
        String text = Files.readString(itDir.resolve(script));
        Set<String> words = new TreeSet<>();
        for (String name : names) {
            Matcher m = Pattern.compile("(?m)^" + name + "=\\(([^)]*)\\)").matcher(text);
            assertTrue(script + " has no array " + name, m.find());
            for (String w : m.group(1).trim().split("\\s+")) {
                words.add(w);
            }
        }
        return words;
    }

    // ---- starting a Java tool (lib/common.sh: fr_java) ---------------------------------------------------------------

    @Test
    public void javaToolsGetTheirClassPathInClasspathAndTheirArgumentsAsGiven() throws Exception {
        Path jdk = fakeJdk(tmp.newFolder("launch").toPath().resolve("jdk"), "25", true);
        Path seen = tmp.getRoot().toPath().resolve("launched");
        executable(jdk.resolve("bin/java"), "#!/bin/sh\nprintf 'CLASSPATH=%s\\n' \"$CLASSPATH\" > '" + seen + "'\n"
            + "for a in \"$@\"; do printf '[%s]\\n' \"$a\" >> '" + seen + "'; done\nexit 3\n");
        String script = "source '" + itDir.resolve("lib/common.sh") + "'; FR_SCRIPT=probe; JAVA_HOME='" + jdk + "'; "
            + "args=(--query \"kid's shoes\" --label 'say \"hi\"' ''); "
            + "fr_java 'classes:lib/*' -Xmx64m -Dkey=a,b org.example.Tool \"${args[@]}\" || echo \"exit $?\"";
        Run run = run(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")), "bash", "-c", script);
        assertEquals(run.toString(), "exit 3\n", run.out);
        // the class path through CLASSPATH, never -cp; JVM options before the main class; every argument after it
        // as it was given (quotes, spaces, a leading dash, an empty one)
        assertEquals(List.of("CLASSPATH=classes:lib/*", "[-Xmx64m]", "[-Dkey=a,b]", "[org.example.Tool]", "[--query]",
            "[kid's shoes]", "[--label]", "[say \"hi\"]", "[]"), Files.readAllLines(seen));
    }

    @Test
    public void everyScriptStartsItsJavaToolThroughFrJava() throws IOException {
        for (String script : List.of("demo.sh", "report.sh", "reliability.sh", "jmh.sh", "bench/bench.sh")) {
            String text = Files.readString(itDir.resolve(script));
            assertTrue(script + " does not start its tool with fr_java", text.contains("\nfr_java "));
            for (String other : List.of("exec:java", " -cp ", "exec java", "\njava ")) {
                assertFalse(script + " starts a JVM another way (" + other.strip() + ")", text.contains(other));
            }
        }
    }

    // ---- JDK discovery (lib/common.sh: fr_find_java) on fake JDKs ---------------------------------------------------

    @Test
    public void discoveryTakesTheFirstJdk21OrNewerInConventionalOrder() throws Exception {
        Path jvm = tmp.newFolder("jdks").toPath();
        Path old = fakeJdk(jvm.resolve("jdk-17"), "17", true);
        Path jre = fakeJdk(jvm.resolve("jre-22"), "22", false);
        Path j21 = fakeJdk(jvm.resolve("jdk-21"), "21", true);
        Path j25 = fakeJdk(jvm.resolve("temurin-25"), "25", true);
        Path onPath = Files.createDirectories(tmp.getRoot().toPath().resolve("path-bin"));
        Files.createSymbolicLink(onPath.resolve("java"), old.resolve("bin/java"));

        // FR_JAVA_HOME first, then JAVA_HOME: a JDK 17 and a JRE are skipped, and the skip is reported
        Discovery d = discover(Map.of("FR_JAVA_HOME", old.toString(), "JAVA_HOME", jre.toString()), onPath,
            j21 + " " + j25);
        assertEquals(d.toString(), j25.toString(), d.javaHome);
        assertTrue(d.toString(), d.err.contains("FR_JAVA_HOME=" + old + " (Java 17, too old)"));
        assertTrue(d.toString(), d.err.contains("JAVA_HOME=" + jre + " (Java 22, but a JRE (no bin/javac))"));

        // JAVA_HOME at a JDK 21+ wins over newer ones elsewhere, silently
        d = discover(Map.of("JAVA_HOME", j21.toString()), onPath, j25.toString());
        assertEquals(d.toString(), j21.toString(), d.javaHome);
        assertEquals(d.toString(), "", d.err);

        // java on PATH: its real home, through links
        Path linked = Files.createDirectories(tmp.getRoot().toPath().resolve("path-bin-21"));
        Files.createSymbolicLink(linked.resolve("java"), j21.resolve("bin/java"));
        d = discover(Map.of(), linked, j25.toString());
        assertEquals(d.toString(), j21.toString(), d.javaHome);

        // install folders: newest first by their release file
        d = discover(Map.of(), onPath, jvm + "/*");
        assertEquals(d.toString(), j25.toString(), d.javaHome);

        // a JDK 8 reports "1.8"
        Path j8 = fakeJdk(jvm.resolve("jdk8"), "1.8", true);
        d = discover(Map.of("JAVA_HOME", j8.toString()), onPath, j21.toString());
        assertTrue(d.toString(), d.err.contains("JAVA_HOME=" + j8 + " (Java 8, too old)"));
    }

    @Test
    public void discoveryWithoutAJdk21ListsEveryCandidate() throws Exception {
        Path jvm = tmp.newFolder("old-jdks").toPath();
        Path old = fakeJdk(jvm.resolve("jdk-17"), "17", true);
        Path eleven = fakeJdk(jvm.resolve("jdk-11"), "11", true);
        Path onPath = Files.createDirectories(tmp.getRoot().toPath().resolve("old-bin"));
        Files.createSymbolicLink(onPath.resolve("java"), old.resolve("bin/java"));
        Discovery d = discover(Map.of("FR_JAVA_HOME", "/no/such/jdk", "JAVA_HOME", eleven.toString()), onPath,
            jvm + "/*");
        assertEquals(d.toString(), 1, d.exit);
        assertTrue(d.toString(), d.out.startsWith("no JDK 21 or newer found"));
        for (String line : List.of("FR_JAVA_HOME", "/no/such/jdk: no such folder", "JAVA_HOME", eleven + ": Java 11, too old",
            "java on PATH (" + onPath.resolve("java") + ")", old + ": Java 17, too old", jvm.toString())) {
            assertTrue(d + " lacks " + line, d.out.contains(line));
        }
    }

    private record Discovery(int exit, String javaHome, String out, String err) {
    }

    /** Runs fr_find_java with only these JDK variables, PATH = onPath + the system's, and FR_JDK_SEARCH = search. */
    private Discovery discover(Map<String, String> vars, Path onPath, String search) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(vars);
        env.put("PATH", onPath + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("FR_JDK_SEARCH", search);
        env.put("HOME", tmp.getRoot().toString());
        String script = "source '" + itDir.resolve("lib/common.sh") + "'; FR_SCRIPT=probe; "
            + "if fr_find_java; then printf 'JAVA_HOME=%s\\n' \"$JAVA_HOME\"; else printf '%s\\n' \"$FR_JAVA_REPORT\"; exit 1; fi";
        Run run = run(env, "bash", "-c", script);
        String home = run.out.startsWith("JAVA_HOME=") ? run.out.strip().substring("JAVA_HOME=".length()) : null;
        return new Discovery(run.exit, home, run.out, run.err);
    }

    /** A fake JDK home: bin/java prints what -XshowSettings:properties -version prints, a release file, bin/javac. */
    private static Path fakeJdk(Path home, String spec, boolean withJavac) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        String version = spec.equals("1.8") ? "1.8.0_402" : spec + ".0.1";
        executable(home.resolve("bin/java"), "#!/bin/sh\n"
            + "echo 'Property settings:' >&2\n"
            + "echo '    java.specification.version = " + spec + "' >&2\n"
            + "echo '    java.vm.name = fake' >&2\n"
            + "echo 'openjdk version \"" + version + "\" 2024-01-16' >&2\n");
        if (withJavac) {
            executable(home.resolve("bin/javac"), "#!/bin/sh\nexit 0\n");
        }
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    // ---- running bash ---------------------------------------------------------------------------------------------

    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs a command in integration-test/ with exactly these variables (plus HOME and LANG), no stdin, 30 s at most. */
    private Run run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(itDir.toFile());
        pb.environment().clear();
        pb.environment().put("HOME", tmp.getRoot().toString());
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().putAll(env);
        Path out = tmp.newFile().toPath();
        Path err = tmp.newFile().toPath();
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new File("/dev/null"));
        Process p = pb.start();
        if (p.waitFor(30, TimeUnit.SECONDS) == false) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within 30 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private void assertNothingRan() throws IOException {
        assertFalse("--help or a refused option ran a tool: " + (Files.exists(marker) ? Files.readString(marker) : ""),
            Files.exists(marker));
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
