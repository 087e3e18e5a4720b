#!/usr/bin/env bash
# The document-vector benchmark (issue 3) on a real node, loopback only. A command, not a test.
#
#   integration-test/bench/bench.sh [--skip-build] [--keep-node] [VectorBench options]
#
# 1. builds the plugin zip (mvn package, tests skipped) unless --skip-build,
# 2. assembles a real node with integration-test/node.sh, installs the zip, starts it (own ports 9251/9351),
# 3. compiles the benchmark against the jars of the *installed* plugin (fair-rescore, ONNX Runtime) and runs
#    org.fairrescore.bench.VectorBench, which prints the tables and ratios (also saved under
#    integration-test/bench/target/),
# 4. stops the node (unless --keep-node).
#
# VectorBench options (defaults): --docs 50000 --queries 200 --otf-queries 30 --warmup 40 --bulk 250
#   --sample 3000 --threads 1 --window 100 --seed 42
# Environment: FR_HTTP_PORT (9251), FR_TRANSPORT_PORT (9351), FR_HEAP (1g), FR_BENCH_DATA (<repo>/../shared/data)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
fr_init bench.sh
export FR_HTTP_PORT=${FR_HTTP_PORT:-9251} FR_TRANSPORT_PORT=${FR_TRANSPORT_PORT:-9351} FR_HEAP=${FR_HEAP:-1g}

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
readonly BENCH_DIR ROOT=$REPO_DIR
readonly OUT=$BENCH_DIR/target
DATA=${FR_BENCH_DATA:-$ROOT/../shared/data}
[[ -f $DATA/esci/esci_us_queryset.json && -f $DATA/wands/query.tsv ]] || die "query sets not found under $DATA (set FR_BENCH_DATA)"

skip_build=false
keep_node=false
args=()
for a in "$@"; do
  case $a in
    --skip-build) skip_build=true ;;
    --keep-node) keep_node=true ;;
    *) args+=("$a") ;;
  esac
done

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
"$NODE" start -Efair_rescore.inference.threads=1
$keep_node || trap '"$NODE" stop' EXIT
PLUGIN=$("$NODE" home)/plugins/fair-rescore
[[ -f $PLUGIN/plugin-descriptor.properties ]] || die "fair-rescore is not installed in $PLUGIN"

step "compiling the benchmark against the installed plugin's jars"
mkdir -p "$OUT/classes" "$OUT/tmp"
mvn -q -B -o -f "$BENCH_DIR/pom.xml" dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" ||
  mvn -q -B -f "$BENCH_DIR/pom.xml" dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" || die "cannot resolve Jackson"
# CLASSPATH, not -cp: ONNX Runtime 1.29 crashes when the command line is long (see OnnxEmbedder). The plugin's
# model code reads manifests with OpenSearch's x-content, so the node's lib/ comes last (after our Jackson).
export CLASSPATH="$OUT/classes:$(cat "$OUT/cp.txt"):$PLUGIN/*:$("$NODE" home)/lib/*"
find "$BENCH_DIR/src/main/java" -name '*.java' >"$OUT/sources.txt"
javac -Xlint:all,-processing,-options --release 21 -d "$OUT/classes" @"$OUT/sources.txt"

step "running VectorBench (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
result=$OUT/result-$(date -u +%Y%m%dT%H%M%SZ).md
java -Xmx1g -XX:+UseG1GC --enable-native-access=ALL-UNNAMED -Djava.io.tmpdir="$OUT/tmp" \
  org.fairrescore.bench.VectorBench --url "http://127.0.0.1:$FR_HTTP_PORT" --models "$PLUGIN/models" \
  --esci "$DATA/esci/esci_us_queryset.json" --wands "$DATA/wands/query.tsv" "${args[@]}" | tee "$result"
printf '\nload average after: %s\nsaved: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$result" | tee -a "$result"
