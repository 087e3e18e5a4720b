package org.fairrescore.settings;

import org.opensearch.common.settings.Settings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What was parsed from an index's settings, kept per settings object (by identity). An index's {@code Settings} is
 * immutable and replaced on every settings update, so searches reuse what was parsed for the previous one until an
 * admin changes something; parsing the {@code index.fair_rescore.*} settings on every shard request was a visible
 * part of a rescore's CPU time. Bounded (least recently used out), so settings of deleted indices do not pile up.
 *
 * @param <V> what is parsed (immutable: it is shared by concurrent searches)
 */
public final class PerSettingsCache<V> {

    private record Identity(Settings settings) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.settings == settings;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(settings);
        }
    }

    private final Map<Identity, V> parsed;

    public PerSettingsCache(int maxEntries) {
        this.parsed = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Identity, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** What {@code parse} makes of {@code settings}, parsed once per settings object; a parse that throws is not kept. */
    public V get(Settings settings, Function<Settings, V> parse) {
        Identity key = new Identity(settings);
        synchronized (parsed) {
            V value = parsed.get(key);
            if (value != null) {
                return value;
            }
        }
        V value = parse.apply(settings);
        synchronized (parsed) {
            parsed.put(key, value);
        }
        return value;
    }
}
