#!/usr/bin/env bash
# The fair-rescore demo: a real node with the plugin and a loaded catalog, BM25 next to fair_semantic. See --help.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
FR_SCRIPT=demo.sh

usage() {
  cat <<EOF
Usage: integration-test/demo.sh [--query TEXT]... [--seed N] [--products N] [--keep-index] [BASE_URL]

The fair-rescore demo, from a fresh checkout to a running node with a loaded catalog:
  1. builds the plugin zip (mvn package at the repository root, tests skipped),
  2. assembles a real OpenSearch node (integration-test/node.sh assemble),
  3. installs the zip into it and starts it in the background on 127.0.0.1:\$FR_HTTP_PORT (stopping an older demo
     node of this checkout first),
  4. runs org.fairrescore.demo.Demo: creates the demo-products index, loads ~2,400 generated marketplace products and
     prints, for three queries, the BM25 top 10 next to the fair_semantic top 10, then a curl command to try.
The node is left running: query it with curl, stop it with integration-test/node.sh stop. Safe to re-run.

Options (those of org.fairrescore.demo.Demo):
  --query TEXT     a query to show instead of the three default ones (repeatable)
  --seed N         seed of the generated catalog (default 20240611)
  --products N     how many products to generate (default 2400)
  --keep-index     do not reload demo-products when it already holds this catalog (a quicker re-run)
  BASE_URL         load and query another node (http://host:port) instead of the one this script starts
  -h, --help       this help

Environment:
$(fr_help_node_env 9200 9300)
$(fr_help_jdk)

Takes 1-1.5 minutes here: 57 s on 2 idle cores with a warm Maven cache, 77-96 s while another build ran (a first
run downloads the jars first).

Example:
  integration-test/demo.sh --query "dog bed" --query "yoga mat"
  FR_HTTP_PORT=9250 FR_TRANSPORT_PORT=9350 integration-test/demo.sh   # beside another node on 9200
EOF
}

demo_args=() # handed to org.fairrescore.demo.Demo as they are
while [[ $# -gt 0 ]]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --query | --seed | --products)
      [[ $# -ge 2 ]] || fr_usage_error "$1 needs a value"
      demo_args+=("$1")
      shift
      ;;
    --keep-index | http://* | https://*) ;;
    *) fr_usage_error "unknown argument '$1'" ;;
  esac
  demo_args+=("$1")
  shift
done

fr_init demo.sh
cd "$REPO_DIR"

step "building the plugin (mvn package, tests skipped)"
mvn -q -B package -DskipTests || die "the plugin build failed"
zip=$(fr_plugin_zip)

if "$NODE" status >/dev/null 2>&1; then
  step "stopping the running node, so the fresh plugin can be installed"
  "$NODE" stop
fi

step "assembling the node"
"$NODE" assemble

step "installing $(basename "$zip")"
"$NODE" install "$zip"

step "starting the node"
"$NODE" start

step "compiling the demo (integration-test/)"
fr_build_tools

step "loading the demo catalog and comparing BM25 with fair_semantic"
fr_java "$FR_TOOLS_CLASSPATH" org.fairrescore.demo.Demo "${demo_args[@]}" ||
  die "the demo failed; the node is still running (integration-test/node.sh logs)"
