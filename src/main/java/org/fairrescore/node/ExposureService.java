package org.fairrescore.node;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.fairrescore.action.ExposureSyncAction;
import org.fairrescore.action.NodeExposure;
import org.fairrescore.exposure.Decay;
import org.fairrescore.exposure.ExposureLedgers;
import org.fairrescore.exposure.LedgerDelta;
import org.fairrescore.exposure.LedgerFiles;
import org.fairrescore.exposure.ShopLedger;
import org.fairrescore.settings.ExposureSettings;
import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.stats.FairRescoreStats;
import org.fairrescore.stats.NodeStats;
import org.opensearch.cluster.ClusterChangedEvent;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.ClusterStateListener;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.index.Index;
import org.opensearch.gateway.GatewayService;
import org.opensearch.threadpool.Scheduler;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the node's exposure ledgers ({@link ExposureLedgers}) one cluster-wide view: every
 * {@code fair_rescore.exposure.sync_interval} it copies what changed in the other nodes' ledgers (a nodes action,
 * never on the search path), rebuilds the views the rescorer reads, writes its own ledgers to its data path and
 * accounts their heap to the {@code fair_rescore} breaker. A deleted index's ledger goes with it, here and on disk.
 *
 * <p>Why the data path and not a hidden index: each node persists only what it recorded itself, so a write is a local
 * file replace (no indexing, no replica traffic, no dependency on the cluster's health, and it works while the cluster
 * is red); after a restart the node reads its file back and the peers' parts come back at the first sync. What a
 * crash loses is at most what was recorded since the last write, one interval.
 */
public final class ExposureService implements NodeExposure.Service, ClusterStateListener, Closeable {

    private static final Logger logger = LogManager.getLogger(ExposureService.class);

    /** Folder of the ledger files under the node's first data path. */
    static final String FOLDER = "fair_rescore/exposure";

    private final ExposureLedgers ledgers;
    private final FairRescoreStats stats;
    private final Map<String, Long> written = new ConcurrentHashMap<>(); // index UUID -> epoch ^ version written
    private final AtomicBoolean scheduledSyncRunning = new AtomicBoolean();
    private final AtomicLong accountedBytes = new AtomicLong();
    private final Object persistLock = new Object();

    private volatile ClusterService clusterService;
    private volatile ThreadPool threadPool;
    private volatile Client client;
    private volatile LedgerFiles files;
    private volatile CircuitBreaker breaker;
    private volatile Scheduler.Cancellable task;
    private volatile boolean pruned;
    private volatile TimeValue interval;
    private volatile boolean joined;
    private volatile boolean closed;

    public ExposureService(Settings settings, FairRescoreStats stats) {
        this.ledgers = new ExposureLedgers(FairRescoreSettings.EXPOSURE_MAX_SHOPS.get(settings));
        this.stats = stats;
    }

    /**
     * Reads back this node's ledgers from {@code dataPath}, then syncs every interval.
     *
     * @param dataPath the node's first data path
     */
    void start(
            ClusterService clusterService,
            ThreadPool threadPool,
            Client client,
            Path dataPath,
            CircuitBreaker breaker,
            Settings settings) {
        this.clusterService = clusterService;
        this.threadPool = threadPool;
        this.client = client;
        this.breaker = breaker;
        this.files = new LedgerFiles(dataPath.resolve(FOLDER));
        restore();
        clusterService.addListener(this);
        clusterService
                .getClusterSettings()
                .addSettingsUpdateConsumer(FairRescoreSettings.EXPOSURE_MAX_SHOPS, ledgers::maxShops);
        clusterService
                .getClusterSettings()
                .addSettingsUpdateConsumer(FairRescoreSettings.EXPOSURE_SYNC_INTERVAL, this::schedule);
        this.interval = FairRescoreSettings.EXPOSURE_SYNC_INTERVAL.get(settings);
        // the periodic sync starts with the first cluster state (clusterChanged): there is no cluster to sync before
    }

    @Override
    public ExposureLedgers ledgers() {
        return ledgers;
    }

    @Override
    public FairRescoreStats stats() {
        return stats;
    }

    /** What the stats report of the ledgers' size. */
    NodeStats.Ledgers size() {
        long shops = ledgers.entries();
        return new NodeStats.Ledgers(ledgers.indices().size(), shops, shops * ShopLedger.ENTRY_BYTES);
    }

    private synchronized void schedule(TimeValue interval) {
        this.interval = interval;
        if (task != null) {
            task.cancel();
            task = null;
        }
        if (closed || joined == false) {
            return;
        }
        task = threadPool.scheduleWithFixedDelay(
                () -> {
                    // one scheduled sync at a time: a slow peer must not pile syncs up
                    if (scheduledSyncRunning.compareAndSet(false, true)) {
                        syncNow(ActionListener.wrap(() -> scheduledSyncRunning.set(false)));
                    }
                },
                interval,
                ThreadPool.Names.GENERIC);
    }

    /** Never throws: whatever goes wrong is counted as a failed sync, logged, and {@code done} is told. */
    @Override
    public void syncNow(ActionListener<Void> done) {
        try {
            pull(done);
        } catch (RuntimeException e) {
            stats.exposureSync(false);
            logger.warn("fair-rescore exposure: sync failed", e);
            done.onResponse(null);
        }
    }

    private void pull(ActionListener<Void> done) {
        ClusterService cluster = clusterService;
        ClusterState state = cluster == null || joined == false ? null : cluster.state();
        if (state == null || state.nodes().getLocalNode() == null) {
            done.onResponse(null); // the node has not joined a cluster yet
            return;
        }
        String self = state.nodes().getLocalNode().getId();
        Map<String, Map<String, LedgerDelta.Seen>> seen = new LinkedHashMap<>();
        for (DiscoveryNode node : state.nodes()) {
            if (node.getId().equals(self) == false) {
                seen.put(node.getId(), ledgers.seen(node.getId()));
            }
        }
        if (seen.isEmpty()) {
            finishElsewhere(true, done);
            return;
        }
        ExposureSyncAction.Request request =
                new ExposureSyncAction.Request(seen, seen.keySet().toArray(String[]::new));
        ThreadContext context = threadPool.getThreadContext();
        try (ThreadContext.StoredContext ignored = context.stashContext()) {
            context.markAsSystemContext(); // the node's own housekeeping, not a user's request
            client.execute(
                    ExposureSyncAction.INSTANCE,
                    request,
                    ActionListener.wrap(
                            response -> {
                                for (ExposureSyncAction.NodeResponse node : response.getNodes()) {
                                    ledgers.apply(node.getNode().getId(), node.deltas());
                                }
                                if (response.hasFailures()) {
                                    logger.debug(
                                            "fair-rescore exposure sync: {} node(s) did not answer: {}",
                                            response.failures().size(),
                                            response.failures());
                                }
                                finishElsewhere(response.hasFailures() == false, done);
                            },
                            e -> {
                                logger.debug("fair-rescore exposure sync failed", e);
                                finishElsewhere(false, done);
                            }));
        }
    }

    /** Finishes on the generic pool: the answer may arrive on a network thread, and finishing writes files. */
    private void finishElsewhere(boolean succeeded, ActionListener<Void> done) {
        try {
            threadPool.generic().execute(() -> finish(clusterService.state(), succeeded, done));
        } catch (RuntimeException e) { // rejected: the node is shutting down
            finish(clusterService.state(), succeeded, done);
        }
    }

    /** Rebuilds the views, charges the breaker, writes changed ledgers; a failure is counted and logged, never thrown. */
    private void finish(ClusterState state, boolean succeeded, ActionListener<Void> done) {
        try {
            ledgers.rebuild(System.currentTimeMillis(), decays(state)::get);
            account();
            persistChanged();
            stats.exposureSync(succeeded);
        } catch (RuntimeException e) {
            stats.exposureSync(false);
            logger.warn("fair-rescore exposure: could not rebuild or persist the ledgers", e);
        }
        done.onResponse(null);
    }

    /** The half-life of each index (by UUID) in {@code state}. */
    private static Map<String, Decay> decays(ClusterState state) {
        Map<String, Decay> decays = new HashMap<>();
        for (IndexMetadata index : state.metadata().indices().values()) {
            decays.put(
                    index.getIndexUUID(),
                    ExposureSettings.of(index.getSettings()).decay());
        }
        return decays;
    }

    private void account() {
        CircuitBreaker b = breaker;
        long now = ledgers.entries() * ShopLedger.ENTRY_BYTES;
        long before = accountedBytes.getAndSet(now);
        if (b != null && now != before) {
            b.addWithoutBreaking(now - before);
        }
    }

    /** Writes each of this node's ledgers that changed since its last write. */
    private void persistChanged() {
        LedgerFiles f = files;
        if (f == null) {
            return;
        }
        synchronized (persistLock) {
            for (String index : ledgers.indices()) {
                ShopLedger local = ledgers.local(index);
                long mark;
                Map<String, ShopLedger.Entry> entries;
                synchronized (local) {
                    mark = local.epoch() ^ local.version();
                    if (Long.valueOf(mark).equals(written.get(index))) {
                        continue;
                    }
                    entries = local.entries();
                }
                try {
                    f.write(index, entries);
                    written.put(index, mark);
                    stats.ledgerPersisted(true);
                } catch (IOException e) {
                    stats.ledgerPersisted(false);
                    logger.warn("fair-rescore exposure: could not write the ledger of index [" + index + "]", e);
                }
            }
        }
    }

    private void restore() {
        try {
            for (String index : files.indices()) {
                try {
                    Map<String, ShopLedger.Entry> saved = files.read(index);
                    if (saved != null) {
                        ledgers.restore(index, saved);
                        ShopLedger local = ledgers.local(index);
                        written.put(index, local.epoch() ^ local.version());
                    }
                } catch (IOException e) {
                    logger.warn("fair-rescore exposure: ignoring the unreadable ledger of index [" + index + "]", e);
                }
            }
        } catch (IOException e) {
            logger.warn("fair-rescore exposure: cannot list the ledgers in [" + files.directory() + "]", e);
        }
    }

    @Override
    public void clusterChanged(ClusterChangedEvent event) {
        if (joined == false) {
            joined = true;
            schedule(interval);
        }
        if (event.state().blocks().hasGlobalBlock(GatewayService.STATE_NOT_RECOVERED_BLOCK)) {
            return; // the indices are not known yet
        }
        for (Index deleted : event.indicesDeleted()) {
            drop(deleted.getUUID());
        }
        if (pruned == false) {
            // ledgers read back at start whose index was deleted while this node was away
            pruned = true;
            Map<String, Decay> known = decays(event.state());
            for (String index : ledgers.indices()) {
                if (known.containsKey(index) == false) {
                    drop(index);
                }
            }
        }
    }

    private void drop(String index) {
        ledgers.drop(index);
        written.remove(index);
        ThreadPool pool = threadPool;
        if (pool == null) {
            return;
        }
        pool.generic().execute(() -> {
            synchronized (persistLock) {
                try {
                    files.delete(index);
                } catch (IOException e) {
                    logger.warn("fair-rescore exposure: could not delete the ledger file of index [" + index + "]", e);
                }
            }
        });
    }

    @Override
    public void clear(String index) {
        ledgers.clear(index);
        persistChanged();
        account();
    }

    /** Stops syncing and writes what changed since the last write (a clean shutdown loses nothing). */
    @Override
    public void close() {
        closed = true;
        Scheduler.Cancellable t = task;
        if (t != null) {
            t.cancel();
        }
        persistChanged();
        CircuitBreaker b = breaker;
        long held = accountedBytes.getAndSet(0);
        if (b != null && held != 0) {
            b.addWithoutBreaking(-held);
        }
    }

    /** Indices (UUIDs) with a ledger on this node. */
    List<String> indices() {
        return List.copyOf(ledgers.indices());
    }
}
