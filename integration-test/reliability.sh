#!/usr/bin/env bash
# Reliability of fair-rescore on a real node: bad input, faults, load, inference isolation, security. See --help.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
FR_SCRIPT=reliability.sh

usage() {
  cat <<EOF
Usage: integration-test/reliability.sh [--skip-build] [--load-seconds N] [--clients N] [--sections a,b] [--strict]
                                       [--shared-data DIR]

Reliability of fair-rescore on a real node, in one command:
  1. mvn package at the repo root (tests skipped)   the plugin zip (skip with --skip-build)
  2. node.sh assemble + install <zip>               a real node with the zip installed by the plugin CLI
  3. node.sh start on an empty data/ folder         a fresh node (data/ of the node home is wiped first)
  4. org.fairrescore.reliability.Reliability        bad-input matrix, faults (broken model, restarts, unmapped shop
                                                    field), models (a model switch, the migration recipe under
                                                    load), load, inference isolation, security; it restarts the
                                                    node with other settings as it goes
  5. node.sh stop                                   always (trap), also when a step fails
Prints a summary table; exits non-zero if a check failed. integration-test/README.md says what each section checks.

Options (the last five are Reliability's):
  --skip-build          reuse target/fair-rescore-*.zip
  --load-seconds N      measured length of the load run (default 120; test-all.sh passes 20)
  --clients N           concurrent load clients (default 8)
  --sections a,b        only some of: matrix, faults, models, load, isolation, security
  --strict              known plugin bugs (listed in the summary) fail the run too
  --shared-data DIR     ESCI and WANDS query files for the load (default: shared/data beside the checkout;
                        without one, a built-in list of queries, and the run says so)
  -h, --help            this help

Environment:
$(fr_help_node_env 9200 9300)
$(fr_help_jdk)
Do not point it at a node home whose data you keep: data/ is wiped. The node runs on FR_HTTP_PORT/FR_TRANSPORT_PORT
only (every restart reuses them), so two checkouts with different ports can run it at once.

Takes 2.5-5.5 minutes here with --skip-build --load-seconds 20 (152-322 s as the last step of test-all.sh, on 2
cores with another build running), so 4-7 minutes with the full 2-minute load; the build adds about half a minute.

Example:
  integration-test/reliability.sh
  integration-test/reliability.sh --skip-build --load-seconds 20 --sections matrix,load
EOF
}

skip_build=false
tool_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --skip-build) skip_build=true ;;
    --load-seconds | --clients | --sections | --shared-data)
      [[ $# -ge 2 ]] || fr_usage_error "$1 needs a value"
      if [[ $1 == --shared-data && $2 != /* ]]; then
        tool_args+=("$1" "$PWD/$2") # the tool runs from integration-test/
      else
        tool_args+=("$1" "$2")
      fi
      shift
      ;;
    --strict) tool_args+=(--strict) ;;
    -h | --help) usage; exit 0 ;;
    *) fr_usage_error "unknown argument '$1'" ;;
  esac
  shift
done

fr_init reliability.sh
HTTP_PORT=${FR_HTTP_PORT:-9200}
MVN=(mvn -B -q -ntp -Dstyle.color=never)

fr_stop_node_on_exit

if ! $skip_build; then
  echo "reliability.sh: building the plugin zip"
  "${MVN[@]}" -f "$REPO_DIR/pom.xml" -DskipTests package || die "the plugin build failed"
fi
zip=$(fr_plugin_zip)

"$NODE" assemble
"$NODE" install "$zip"
home=$("$NODE" home)
rm -rf "${home:?}/data" # a fresh node: no indices, no persistent cluster settings from an earlier run
FR_NODE_STARTED=true
"$NODE" start

echo "reliability.sh: compiling the reliability tool"
fr_build_tools
cd "$IT_DIR" # ../shared/data (the ESCI and WANDS queries) is looked up from here
fr_java "$FR_TOOLS_CLASSPATH" -Xmx512m org.fairrescore.reliability.Reliability --url "http://127.0.0.1:$HTTP_PORT" \
  --node-sh "$NODE" "${tool_args[@]}"
