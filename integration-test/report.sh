#!/usr/bin/env bash
# The evaluation report in one command, from a fresh checkout:
#   1. builds the plugin zip (mvn package at the repo root, tests skipped; --skip-build reuses target/*.zip),
#   2. reuses this checkout's running node if its installed plugin is the zip just built; otherwise assembles a
#      node (node.sh assemble), installs the zip and starts it, and stops it again at the end (also on failure),
#   3. runs org.fairrescore.eval.EvalReport: indexes the catalogs with a progress bar, runs the judged queries under
#      BM25, fair_semantic without a quota and each quota mode (cap, share, fair_topk), and writes
#      integration-test/target/report/index.html, report.md and two PNG charts; prints the summary table.
#
#   integration-test/report.sh [--skip-build] [EvalReport options]
#     e.g. --seeds 2 --window 30 --repeat 3
#          --esci-examples examples.csv --esci-products products.csv --max-queries 50
#          --wands path/to/WANDS/dataset --wands-shop features:manufacturer
#     (all options: the javadoc of integration-test/src/main/java/org/fairrescore/eval/EvalReport.java)
# Environment: FR_HTTP_PORT (9200) and the other node.sh variables. --out DIR writes the report elsewhere.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
fr_init report.sh
command -v unzip >/dev/null || die "unzip is not on PATH"
readonly OUT=$IT_DIR/target/report
MVN=(mvn -q -B -Dstyle.color=never)
readonly CALLER_PWD=$PWD
cd "$REPO_DIR"

# EvalReport options travel to exec:java as one string; quote each, and make file arguments absolute (Maven runs
# from the repo root, the caller may not).
skip_build=false
eval_args="--out '$OUT' "
path_next=false
for a in "$@"; do
  if $path_next; then
    [[ $a == /* ]] || a=$CALLER_PWD/$a
    path_next=false
  else
    case $a in
      --skip-build) skip_build=true; continue ;;
      -h | --help) sed -n '2,16s/^# \{0,1\}//p' "$IT_DIR/report.sh"; exit 0 ;;
      --out | --esci-examples | --esci-products | --wands) path_next=true ;;
    esac
  fi
  [[ $a != *"'"* ]] || die "EvalReport arguments cannot contain a single quote: $a"
  eval_args+="'$a' "
done

if $skip_build; then
  step "--skip-build: using the zip already in target/"
else
  step "building the plugin (mvn package, tests skipped)"
  "${MVN[@]}" package -DskipTests || die "the plugin build failed"
fi
zip=$(fr_plugin_zip)

# The installed plugin is current when its jar is byte-identical to the one in the zip.
plugin_current() {
  local home jar installed
  home=$("$NODE" home)
  jar=$(unzip -Z1 "$zip" | grep -E '^fair-rescore-[^/]*\.jar$' | head -n 1) || return 1
  installed=$(find "$home/plugins" -maxdepth 2 -name "$jar" -print -quit 2>/dev/null)
  [[ -n $installed ]] || return 1
  [[ $(unzip -p "$zip" "$jar" | sha256sum | cut -d' ' -f1) == $(sha256sum "$installed" | cut -d' ' -f1) ]]
}

fr_stop_node_on_exit

if "$NODE" status >/dev/null 2>&1 && plugin_current; then
  step "reusing the running node: its plugin is $(basename "$zip") as built (it stays running)"
else
  if "$NODE" status >/dev/null 2>&1; then
    step "the running node has another build of the plugin: stopping it to install $(basename "$zip")"
    "$NODE" stop
  fi
  step "assembling the node"
  "$NODE" assemble
  step "installing $(basename "$zip")"
  "$NODE" install "$zip"
  FR_NODE_STARTED=true # from here on the trap stops the node, whatever happens
  step "starting the node"
  "$NODE" start
fi

step "running the evaluation"
"${MVN[@]}" -f "$IT_DIR/pom.xml" compile exec:java -Dexec.mainClass=org.fairrescore.eval.EvalReport \
  -Dexec.args="$eval_args" || die "the evaluation failed (node logs: integration-test/node.sh logs)"
