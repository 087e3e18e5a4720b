package org.fairrescore.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The table printed at the end: one row per section (cases, passed, failed, known bugs, seconds, key figures). */
public final class Summary {

    private Summary() {}

    public static String render(List<Section> sections, boolean strict) {
        StringBuilder out = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-22s %6s %6s %6s %6s %7s  %s", "section", "cases", "passed", "failed", "known", "secs",
            "key figures");
        out.append("== reliability summary ==\n").append(header).append('\n').append("-".repeat(header.length() + 40)).append('\n');
        long cases = 0, passed = 0, failed = 0, known = 0;
        for (Section s : sections) {
            long k = s.count(Section.Outcome.KNOWN_BUG);
            List<String> figures = new ArrayList<>();
            for (Map.Entry<String, String> f : s.figures().entrySet()) {
                figures.add(f.getKey() + "=" + f.getValue());
            }
            List<String> lines = wrap(figures, 70);
            out.append(String.format(Locale.ROOT, "%-22s %6d %6d %6d %6d %7.1f  %s%n", s.name(), s.checks().size(), s.passed(), s.failed(), k,
                s.seconds(), lines.isEmpty() ? "" : lines.get(0)));
            for (String more : lines.subList(Math.min(1, lines.size()), lines.size())) {
                out.append(" ".repeat(63)).append(more).append('\n');
            }
            cases += s.checks().size();
            passed += s.passed();
            failed += s.failed();
            known += k;
        }
        out.append(String.format(Locale.ROOT, "%-22s %6d %6d %6d %6d%n", "total", cases, passed, failed, known));
        for (Section s : sections) {
            for (Section.Check c : s.checks()) {
                if (c.outcome() == Section.Outcome.FAIL) {
                    out.append("FAILED     ").append(s.name()).append(" / ").append(c.name()).append(": ").append(c.detail()).append('\n');
                }
            }
        }
        for (Section s : sections) {
            for (Section.Check c : s.checks()) {
                if (c.outcome() == Section.Outcome.KNOWN_BUG || c.outcome() == Section.Outcome.FIXED_KNOWN_BUG) {
                    out.append(c.outcome() == Section.Outcome.KNOWN_BUG ? "KNOWN BUG  " : "FIXED BUG  ").append(s.name()).append(" / ")
                        .append(c.name()).append(": ").append(c.detail()).append('\n');
                }
            }
        }
        boolean ok = failed == 0 && (!strict || known == 0);
        out.append(ok ? "== RELIABILITY PASSED ==" : "== RELIABILITY FAILED ==");
        if (known > 0) {
            out.append(strict ? " (--strict: known plugin bugs fail the run)" : " (" + known + " known plugin bug(s) listed above; --strict fails on them)");
        }
        return out.append('\n').toString();
    }

    public static boolean passed(List<Section> sections, boolean strict) {
        return sections.stream().allMatch(s -> s.failed() == 0 && (!strict || s.count(Section.Outcome.KNOWN_BUG) == 0));
    }

    static List<String> wrap(List<String> items, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String item : items) {
            if (line.length() > 0 && line.length() + 2 + item.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(", ");
            }
            line.append(item);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
