#!/usr/bin/env bash
# Node loss, a rolling restart and nodes that differ, under load, on cluster.sh's three nodes. See --help.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
FR_SCRIPT=chaos.sh

usage() {
  cat <<EOF
Usage: integration-test/chaos.sh [--duration N] [--clients N] [--kill N|manager] [--docs N] [--no-drain]
                                 [--sections a,b,c] [--sync-interval N] [--searches N] [--shared-data DIR]

Chaos on the three-node cluster of integration-test/cluster.sh (start it first: cluster.sh up), in one command:
  1. compiles integration-test/ (its Java tools)
  2. org.fairrescore.chaos.Chaos, section "load": indices chaos-live and chaos-fixed (3 shards, 1 replica, vectors
     stored through the fair_rescore_embed processor, a per-shop cap) and the fair_rescore search pipeline; 8 clients
     spread over the three HTTP ports (rescored searches with and without the pipeline, bulk ingest through the
     processor, index-settings updates) while one node is killed with kill -9 (the elected cluster manager by
     default), started again, and then all three are restarted one at a time: searches drained from the node
     (weight 0 for its zone), graceful stop, start, green
  3. section "mixed": node 3 restarted without MiniLM, then without the plugin, then as before (nodes that differ)
  4. section "exposure": the amortized exposure ledger across nodes (index chaos-exposure): one stream of searches
     alternately through nodes 1 and 2; each node's view as its rescorer reads it (GET .../exposure/{index}?local=true,
     no sync forced) must hold every search within two sync intervals and be one ledger with the others'; then a
     graceful restart of node 1 right after searches it served (with no scheduled write in between) must keep every
     search, and a kill -9 of node 2 half a second before its next scheduled write (the worst case) must lose at
     most what node 2 recorded in its last interval
Prints a summary: searches per phase (before, node down, recovering, rolling, after) with failures by reason and
p50/p99, acknowledged documents against those found, the cap checked on every pipeline response, the top 10 of a fixed
query set before and after, heap after GC and the plugin's stats per node, what the differing nodes did; exits 1 when
a goal is missed. The cluster stays up, with its default settings (cluster.sh down stops it).

Options:
  --duration N          seconds of load at least (default 120): before 20 %, node down 15 % (at least 10 s), after
                        at least 15 %; recovering and rolling take as long as the restarts take
  --clients N           concurrent load clients (default 8)
  --kill N|manager      the node to kill -9: 1, 2, 3, or manager for the elected cluster manager (default manager)
  --docs N              documents in each index before the load (default 900)
  --no-drain            stop each node of the rolling restart without draining searches first (shows the fetch
                        phases that then fail: OpenSearch cannot move a fetch to another copy)
  --sections a,b,c      only some of: load, mixed, exposure (default all three)
  --sync-interval N     exposure: fair_rescore.exposure.sync_interval in seconds during the section (default 5; set
                        as a persistent cluster setting and back to the default at the end)
  --searches N          exposure: searches of the first stream (default 300)
  --shared-data DIR     ESCI and WANDS query files (default: shared/data beside the checkout; else built-in queries)
  -h, --help            this help

Environment:
  FR_CLUSTER_HTTP_PORT (9200), FR_CLUSTER_TRANSPORT_PORT (9300)
                        the cluster's base ports, as for cluster.sh (the chaos run restarts nodes through it)
  FR_CLUSTER_HEAP, FR_NODE_HOME, FR_JAVA_OPTS, FR_START_TIMEOUT, FR_STOP_TIMEOUT
                        as for cluster.sh (integration-test/cluster.sh --help)
$(fr_help_jdk)
Deletes and re-creates its own indices (chaos-live, chaos-fixed, chaos-exposure) and pipelines; other indices stay.

Takes 11-12 minutes here with the default 120 s (2 cores, another build running): setup ~15 s, the load 5.5-6 min
(each of the four node restarts 60-75 s under the load), the mixed nodes ~1.5 min, the exposure ledger 3-4 min
(two node starts of 30-70 s; timed on its own).

Example:
  export FR_CLUSTER_HTTP_PORT=9270 FR_CLUSTER_TRANSPORT_PORT=9370
  integration-test/cluster.sh up && integration-test/chaos.sh
  integration-test/chaos.sh --duration 60 --sections load --kill 2
  integration-test/chaos.sh --sections exposure
EOF
}

tool_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --duration | --clients | --kill | --docs | --sections | --sync-interval | --searches | --shared-data)
      [[ $# -ge 2 ]] || fr_usage_error "$1 needs a value"
      if [[ $1 == --shared-data && $2 != /* ]]; then
        tool_args+=("$1" "$PWD/$2") # the tool runs from integration-test/
      else
        tool_args+=("$1" "$2")
      fi
      shift
      ;;
    --no-drain) tool_args+=("$1") ;;
    -h | --help) usage; exit 0 ;;
    *) fr_usage_error "unknown argument '$1'" ;;
  esac
  shift
done

fr_init chaos.sh
CLUSTER=$IT_DIR/cluster.sh

status=$("$CLUSTER" status 2>&1) || die "the cluster is not up (three nodes): run 'integration-test/cluster.sh up' first
$status"

echo "chaos.sh: compiling the chaos tool"
fr_build_tools
cd "$IT_DIR" # ../shared/data (the ESCI and WANDS queries) is looked up from here
fr_java "$FR_TOOLS_CLASSPATH" -Xmx512m org.fairrescore.chaos.Chaos --cluster-sh "$CLUSTER" "${tool_args[@]}"
