package org.fairrescore.settings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What was parsed from an immutable piece of cluster configuration (an index's {@code Settings}, its
 * {@code IndexMetadata} or {@code MappingMetadata}), kept per object by identity. These objects are replaced on every
 * change, so searches and ingest reuse what was parsed for the previous request until an admin changes something;
 * parsing the {@code index.fair_rescore.*} settings on every shard request was a visible part of a rescore's CPU time,
 * and a mapping is compressed JSON. Bounded (least recently used out), so the configuration of deleted indices does
 * not pile up.
 *
 * @param <K> the configuration object (compared by identity)
 * @param <V> what is parsed (immutable: it is shared by concurrent requests)
 */
public final class ParsedCache<K, V> {

    private record Identity(Object key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.key == key;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(key);
        }
    }

    private final Map<Identity, V> parsed;

    public ParsedCache(int maxEntries) {
        this.parsed = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Identity, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** What {@code parse} makes of {@code key}, parsed once per object; a parse that throws is not kept. */
    public V get(K key, Function<K, V> parse) {
        Identity id = new Identity(key);
        synchronized (parsed) {
            V value = parsed.get(id);
            if (value != null) {
                return value;
            }
        }
        V value = parse.apply(key);
        synchronized (parsed) {
            parsed.put(id, value);
        }
        return value;
    }
}
