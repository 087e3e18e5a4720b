package org.fairrescore.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one section of the reliability run: named checks that passed or failed, known plugin bugs (checks
 * that fail today for a reason reported to the plugin's owner: listed, not failing the run unless {@code --strict}),
 * and key figures for the summary.
 */
public final class Section {

    /** One check's outcome. */
    public enum Outcome { PASS, FAIL, KNOWN_BUG, FIXED_KNOWN_BUG }

    public record Check(String name, Outcome outcome, String detail) {}

    private final String name;
    private final List<Check> checks = new ArrayList<>();
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    private long elapsedNanos = -1;

    public Section(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Records a check; prints failures at once, so a long run shows them where they happen. */
    public boolean check(String check, boolean ok, String detail) {
        checks.add(new Check(check, ok ? Outcome.PASS : Outcome.FAIL, ok ? "" : detail));
        if (!ok) {
            Log.line("  FAIL  [%s] %s: %s", name, check, detail);
        }
        return ok;
    }

    /**
     * A check that fails today because of a reported plugin bug: a failure counts as a known bug, a pass as a fixed
     * one (then the mark should go).
     */
    public boolean knownBug(String check, boolean ok, String bug, String detail) {
        if (ok) {
            checks.add(new Check(check, Outcome.FIXED_KNOWN_BUG, "passes now: drop the known-bug mark (" + bug + ")"));
            Log.line("  FIXED [%s] %s: passes now, drop the known-bug mark (%s)", name, check, bug);
        } else {
            checks.add(new Check(check, Outcome.KNOWN_BUG, bug + ": " + detail));
            Log.line("  KNOWN [%s] %s: %s: %s", name, check, bug, detail);
        }
        return ok;
    }

    /** An exception out of a section is a failed check of its own, never a crash of the run. */
    public void error(String where, Throwable e) {
        check(where, false, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    public void figure(String key, String value) {
        figures.put(key, value);
    }

    public void figure(String key, String format, Object... args) {
        figures.put(key, String.format(Locale.ROOT, format, args));
    }

    public void finish() {
        elapsedNanos = System.nanoTime() - startNanos;
    }

    public double seconds() {
        return (elapsedNanos < 0 ? System.nanoTime() - startNanos : elapsedNanos) / 1e9;
    }

    public List<Check> checks() {
        return checks;
    }

    public Map<String, String> figures() {
        return figures;
    }

    public long count(Outcome outcome) {
        return checks.stream().filter(c -> c.outcome() == outcome).count();
    }

    public long passed() {
        return count(Outcome.PASS) + count(Outcome.FIXED_KNOWN_BUG);
    }

    public long failed() {
        return count(Outcome.FAIL);
    }
}
