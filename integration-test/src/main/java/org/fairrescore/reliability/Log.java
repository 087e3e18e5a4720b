package org.fairrescore.reliability;

import java.util.Locale;

/** Progress lines on stdout, flushed at once (the run takes minutes). */
public final class Log {

    private Log() {}

    public static synchronized void line(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
