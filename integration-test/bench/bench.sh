#!/usr/bin/env bash
# The document-vector benchmark on a real node, loopback only. A command, not a test. See --help.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
FR_SCRIPT=bench.sh

# The options of org.fairrescore.bench.VectorBench a user may give (all take a value; --url, --models, --esci and
# --wands are this script's). ScriptHelpTests checks them against VectorBench.
BENCH_OPTIONS=(--docs --queries --otf-queries --warmup --bulk --sample --pair-every --threads --window --seed --model
  --ledger-shops --pair-rounds)
# The options of org.fairrescore.bench.SaturateBench a user may give with --saturate (--url, --pid, --clock-ticks,
# --esci and --wands are this script's). ScriptHelpTests checks them against SaturateBench.
SATURATE_OPTIONS=(--docs --clients --shards --searches --warmup-searches --new-share --zipf --bulk --window --seed
  --model --inference-threads)

usage() {
  cat <<EOF
Usage: integration-test/bench/bench.sh [--skip-build] [--keep-node] [VectorBench options]
       integration-test/bench/bench.sh --saturate [--quick] [--skip-build] [--keep-node] [SaturateBench options]
       integration-test/bench/bench.sh --query-batch-drift [--skip-build]

The document-vector benchmark on a real node, loopback only:
  1. builds the plugin zip (mvn package, tests skipped) unless --skip-build,
  2. assembles a real node with integration-test/node.sh, installs the zip, starts it on its own ports
     (9251/9351 unless FR_HTTP_PORT/FR_TRANSPORT_PORT say otherwise) with fair_rescore.inference.threads=1,
  3. compiles the benchmark against integration-test/'s class path (its HTTP client, Jackson) and the jars of the
     *installed* plugin (fair-rescore, ONNX Runtime), and runs
     org.fairrescore.bench.VectorBench: ingest through the fair_rescore_embed processor against bare ONNX Runtime,
     then search latencies of BM25 and fair_semantic (stored vectors with new and cached query texts, on-the-fly
     embedding, and the cached-query search on a twin index in exposure mode amortized with a filled ledger, (c'))
     on one and three shards; prints the tables and ratios and saves them as
     integration-test/bench/target/result-<UTC time>.md,
  4. stops the node (unless --keep-node).
With --saturate, step 3 runs org.fairrescore.bench.SaturateBench instead: the throughput and CPU cost per search
under concurrent load. It ingests the products through the embed processor into sat-1 (1 shard; split into sat-3),
then, per shard count and client count, runs closed-loop clients (each sends its next search when the last is
answered) through the same stream of query texts for four configurations: BM25; fair_semantic with stored vectors;
the same with the per-shop cap (max 3 per 10); the same with the coordinator's fair_rescore search pipeline. The
stream draws the real queries Zipf-like and mixes in a share of texts the node has never seen (recombined from real
query words, each used once). The node sees every real query once before the phases (their vectors cached, as on a
node in service); each phase sends the new texts in a letter-case variant of its own (the same tokens, a text the
query cache has not seen) after a short warm-up stream. It
reports searches/s, p50/p99, the node's CPU ms per search (utime+stime of the node process from /proc/<pid>/stat,
before and after each phase) and the query-cache hit ratio (the plugin's stats), and prints the lines
  saturated QPS fair_semantic/BM25 = <x>
  CPU per search fair_semantic/BM25 = <y>
(1 shard, each configuration at its client count with the most searches/s), and the cap's against fair_semantic.
With --query-batch-drift, no node is started: step 3 runs org.fairrescore.bench.QueryBatchDrift on the installed
plugin's models: the real queries and as many new texts as query vectors, solo and in batches of 2, 4 and 8 (as
concurrent searches would share one ONNX Runtime call), the cosine of each batched vector to its solo one and the
CPU time per text.
It uses the node home of this checkout: a node of this checkout that is running is stopped first.
integration-test/bench/README.md explains each measurement and holds the latest results.

Options:
  --skip-build          reuse target/fair-rescore-*.zip
  --keep-node           leave the benchmark node running at the end
  --saturate            the saturation benchmark (SaturateBench) instead of the latency one
  --query-batch-drift   batched against solo query vectors of the bundled English models (no node started)
  --quick               with --saturate: --docs 5000 --clients 1,4,16 --shards 1 --searches 600
                        --warmup-searches 100 (options given after it still win)
  -h, --help            this help
VectorBench options, each --name VALUE (defaults):
  --docs 50000          generated products ingested into bench-1 (then split into the 3-shard bench-3)
  --queries 200         benchmark queries (half ESCI, half WANDS real query strings)
  --otf-queries 30      queries for the on-the-fly run (d), the slow one
  --warmup 40           other real queries that warm each index
  --bulk 250            documents per bulk request
  --sample 2000         documents of the inference-batch-8 ingest sample
  --pair-every 8        after every Nth bulk request, the same titles through bare ONNX Runtime and the plugin path
  --threads 1           intra-op threads of the benchmark's own ONNX Runtime sessions (the node runs 1)
  --window 100          rescore window
  --seed 42             seed of the generated catalog
  --ledger-shops 5000   long-tail shops reported through _feedback into the exposure ledger of (c')'s twin index
                        before its run (beside the catalog's 300 shops, which its searches add)
  --pair-rounds 5       rounds over the queries of the paired runs (c)/(c0) (mode off on both: A/A) and (c)/(c')
                        (mode amortized on the twin), each query on both indices one right after the other
  --model ID            the model measured: the node runs it as its default (its vector fields are bound to it) and
                        the bare ONNX Runtime baseline loads it (default: the default model, bge-small-en-v15-q)
SaturateBench options (with --saturate), each --name VALUE (defaults):
  --docs 50000          generated products ingested into sat-1
  --clients 1,2,4,8,16  closed-loop client counts
  --shards 1,3          shard counts (each other count is split from sat-1)
  --searches 2000       measured searches per phase (the same stream in every phase)
  --warmup-searches 300 searches of a separate stream before each phase (after the query cache is emptied)
  --new-share 0.35      share of searches carrying a text the node has not seen
  --zipf 1.0            exponent of the popularity of the real queries (probability ~ 1 / rank^zipf)
  --bulk 250            documents per bulk request
  --window 100          rescore window
  --seed 42             seed of the catalog and the streams
  --model ID            the node's default model, which embeds the catalog and the queries (default: the plugin's
                        default, bge-small-en-v15-q)
  --inference-threads 1 the node's fair_rescore.inference.threads (ONNX Runtime intra-op threads per inference)

Environment:
  FR_HTTP_PORT (9251), FR_TRANSPORT_PORT (9351), FR_HEAP (1g) and the other node.sh variables
  FR_BENCH_DATA         folder with esci/esci_us_queryset.json and wands/query.tsv (default: <checkout>/../shared/data)
$(fr_help_jdk)

Takes about 3 minutes on a quiet machine without the exposure runs: --skip-build --otf-queries 20 took 3 min on 2
cores (170 s of it the benchmark itself, 1.5 min of that the 50,000-document ingest); with the exposure runs (the
twins, the ledger, 3 x 2 x 1,000 paired searches) --skip-build took 14 min on 2 cores under other workers' load
(load average 4.5-5.6; 558 s the benchmark itself, 6 min of that the ingest); the build adds about half a minute.

--saturate --quick: about 2.5 minutes here with the node start (1 min 36 s to 2 min 31 s measured);
--saturate: about 9 minutes (8 min 35 s measured, 3.4 min of it the 50,000-document ingest);
--query-batch-drift: under a minute.

Example:
  integration-test/bench/bench.sh
  integration-test/bench/bench.sh --saturate --quick
  integration-test/bench/bench.sh --skip-build --docs 10000 --queries 100 --otf-queries 10   # a quicker look
EOF
}

skip_build=false
keep_node=false
saturate=false
quick=false
drift=false
args=()
node_settings=(-Efair_rescore.inference.threads=1)
while [[ $# -gt 0 ]]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --skip-build) skip_build=true ;;
    --keep-node) keep_node=true ;;
    --saturate) saturate=true ;;
    --quick) quick=true ;;
    --query-batch-drift) drift=true ;;
    *)
      [[ " ${BENCH_OPTIONS[*]} ${SATURATE_OPTIONS[*]} " == *" $1 "* ]] || fr_usage_error "unknown argument '$1'"
      [[ $# -ge 2 ]] || fr_usage_error "$1 needs a value"
      args+=("$1" "$2")
      # the node runs the measured model as its default, so the benchmark's indices are bound to it
      [[ $1 != --model ]] || node_settings+=("-Efair_rescore.model=$2")
      [[ $1 != --inference-threads ]] || node_settings[0]=-Efair_rescore.inference.threads=$2
      shift
      ;;
  esac
  shift
done

if $drift; then
  [[ ${#args[@]} -eq 0 ]] && ! $saturate && ! $quick || fr_usage_error "--query-batch-drift takes no other option than --skip-build"
fi
if $saturate; then
  for ((i = 0; i < ${#args[@]}; i += 2)); do
    [[ " ${SATURATE_OPTIONS[*]} " == *" ${args[i]} "* ]] || fr_usage_error "${args[i]} is not an option of --saturate"
  done
  if $quick; then
    args=(--docs 5000 --clients 1,4,16 --shards 1 --searches 600 --warmup-searches 100 "${args[@]}")
  fi
else
  $quick && fr_usage_error "--quick goes with --saturate"
  for ((i = 0; i < ${#args[@]}; i += 2)); do
    [[ " ${BENCH_OPTIONS[*]} " == *" ${args[i]} "* ]] || fr_usage_error "${args[i]} is an option of --saturate only"
  done
fi

fr_init bench.sh
export FR_HTTP_PORT=${FR_HTTP_PORT:-9251} FR_TRANSPORT_PORT=${FR_TRANSPORT_PORT:-9351} FR_HEAP=${FR_HEAP:-1g}

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
readonly BENCH_DIR ROOT=$REPO_DIR
readonly OUT=$BENCH_DIR/target
DATA=${FR_BENCH_DATA:-$ROOT/../shared/data}
[[ -f $DATA/esci/esci_us_queryset.json && -f $DATA/wands/query.tsv ]] || die "query sets not found under $DATA (set FR_BENCH_DATA)"

cd "$ROOT"
if ! $skip_build; then
  step "building the plugin zip"
  mvn -q -B -o package -DskipTests || mvn -q -B package -DskipTests || die "plugin build failed"
fi
zip=$(fr_plugin_zip)

step "node: assemble, install, start (http $FR_HTTP_PORT)"
"$NODE" stop
"$NODE" assemble
"$NODE" install "$zip"
if ! $drift; then
  "$NODE" start "${node_settings[@]}"
  $keep_node || trap '"$NODE" stop' EXIT
fi
PLUGIN=$("$NODE" home)/plugins/fair-rescore
[[ -f $PLUGIN/plugin-descriptor.properties ]] || die "fair-rescore is not installed in $PLUGIN"

step "compiling the benchmark against integration-test/ and the installed plugin's jars"
mkdir -p "$OUT/classes" "$OUT/tmp"
# integration-test/'s classes and jars: its HTTP client (org.fairrescore.reliability.Http) and Jackson
fr_build_tools
# The plugin's model code reads manifests with OpenSearch's x-content, so the node's lib/ comes last (after our Jackson).
classpath="$OUT/classes:$FR_TOOLS_CLASSPATH:$PLUGIN/*:$("$NODE" home)/lib/*"
find "$BENCH_DIR/src/main/java" -name '*.java' >"$OUT/sources.txt"
# CLASSPATH, as fr_java starts it
CLASSPATH=$classpath "$JAVA_HOME/bin/javac" -Xlint:all,-processing,-options --release 21 -d "$OUT/classes" @"$OUT/sources.txt"

if $drift; then
  step "running QueryBatchDrift"
  result=$OUT/result-query-batch-drift-$(date -u +%Y%m%dT%H%M%SZ).md
  fr_java "$classpath" -Xmx1g --enable-native-access=ALL-UNNAMED "-Djava.io.tmpdir=$OUT/tmp" \
    org.fairrescore.bench.QueryBatchDrift "$PLUGIN/models" "$DATA/esci/esci_us_queryset.json" "$DATA/wands/query.tsv" | tee "$result"
  printf '\nsaved: %s\n' "$result"
  exit 0
fi
if $saturate; then
  pid=$(cat "$("$NODE" home)/node.pid")
  [[ -r /proc/$pid/stat ]] || die "cannot read /proc/$pid/stat of the node"
  step "running SaturateBench (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  tag=saturate
  ! $quick || tag=saturate-quick
  result=$OUT/result-$tag-$(date -u +%Y%m%dT%H%M%SZ).md
  fr_java "$classpath" -Xmx1g -XX:+UseG1GC --enable-native-access=ALL-UNNAMED "-Djava.io.tmpdir=$OUT/tmp" \
    org.fairrescore.bench.SaturateBench --url "http://127.0.0.1:$FR_HTTP_PORT" --pid "$pid" --clock-ticks "$(getconf CLK_TCK)" \
    --esci "$DATA/esci/esci_us_queryset.json" --wands "$DATA/wands/query.tsv" "${args[@]}" | tee "$result"
  printf '\nload average after: %s\nscript wall time so far: %d s\nsaved: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$SECONDS" \
    "$result" | tee -a "$result"
  exit 0
fi

step "running VectorBench (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
result=$OUT/result-$(date -u +%Y%m%dT%H%M%SZ).md
fr_java "$classpath" -Xmx1g -XX:+UseG1GC --enable-native-access=ALL-UNNAMED "-Djava.io.tmpdir=$OUT/tmp" \
  org.fairrescore.bench.VectorBench --url "http://127.0.0.1:$FR_HTTP_PORT" --models "$PLUGIN/models" \
  --esci "$DATA/esci/esci_us_queryset.json" --wands "$DATA/wands/query.tsv" "${args[@]}" | tee "$result"
printf '\nload average after: %s\nsaved: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$result" | tee -a "$result"
