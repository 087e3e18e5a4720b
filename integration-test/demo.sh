#!/usr/bin/env bash
# The fair-rescore demo, from a fresh checkout to a running node with a loaded catalog:
#   1. builds the plugin zip (mvn package at the repo root, tests skipped),
#   2. assembles a real OpenSearch node (integration-test/node.sh assemble),
#   3. installs the zip into it and starts it in the background (stopping an older demo node first),
#   4. runs org.fairrescore.demo.Demo: creates the demo-products index, loads ~2,400 generated marketplace
#      products and prints, for three queries, the BM25 top 10 next to the fair_semantic top 10.
# The node is left running; stop it with integration-test/node.sh stop. Safe to re-run.
#
#   integration-test/demo.sh [Demo options]     e.g. --query "dog bed" --query "yoga mat" --seed 7
#
# Environment: FR_HTTP_PORT (9200) and the other node.sh variables.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
fr_init demo.sh
cd "$REPO_DIR"

# Demo options travel to exec:java as one string; quote each so "dog bed" stays one argument.
demo_args=""
for a in "$@"; do
  [[ $a != *"'"* ]] || die "Demo arguments cannot contain a single quote: $a"
  demo_args+="'$a' "
done

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

step "loading the demo catalog and comparing BM25 with fair_semantic"
mvn -q -B -f integration-test/pom.xml compile exec:java -Dexec.mainClass=org.fairrescore.demo.Demo \
  -Dexec.args="$demo_args" || die "the demo failed; the node is still running (integration-test/node.sh logs)"
