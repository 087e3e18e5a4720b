#!/usr/bin/env bash
# Reliability of fair-rescore on a real node (issue 7), in one command:
#   1. mvn package at the repo root (tests skipped)   the plugin zip (skip with --skip-build)
#   2. node.sh assemble + install <zip>               a real node with the zip installed by the plugin CLI
#   3. node.sh start on an empty data/ folder         a fresh node (data/ of FR_NODE_HOME is wiped first)
#   4. org.fairrescore.reliability.Reliability        bad-input matrix, faults (broken model, restarts, unmapped
#                                                     shop field), load, inference isolation, security; it restarts
#                                                     the node with other settings as it goes
#   5. node.sh stop                                   always (trap), also when a step fails
# Prints a summary table; exits non-zero if a check failed.
#
#   --skip-build          reuse target/fair-rescore-*.zip
#   --load-seconds N      measured length of the load run (default 120; test-all.sh passes 20)
#   --sections a,b        only some of: matrix, faults, load, isolation, security
#   --strict              known plugin bugs (listed in the summary) fail the run too
# Environment: as node.sh (FR_HTTP_PORT, FR_TRANSPORT_PORT, FR_HEAP, FR_NODE_HOME, ...). Do not point it at a node
# home whose data you keep: data/ is wiped.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
fr_init reliability.sh
HTTP_PORT=${FR_HTTP_PORT:-9200}
MVN=(mvn -B -q -ntp -Dstyle.color=never)

skip_build=false
tool_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --skip-build) skip_build=true ;;
    --load-seconds | --sections)
      [[ $# -ge 2 ]] || die "$1 needs a value"
      tool_args+=("$1" "$2")
      shift
      ;;
    --strict) tool_args+=(--strict) ;;
    -h | --help) sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done

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
"${MVN[@]}" -f "$IT_DIR/pom.xml" compile dependency:build-classpath -DincludeScope=runtime \
  "-Dmdep.outputFile=$IT_DIR/target/reliability.classpath" || die "could not compile integration-test/"
cd "$IT_DIR" # ../shared/data (the ESCI and WANDS queries) is looked up from here
"$JAVA_HOME/bin/java" -Xmx512m -cp "$IT_DIR/target/classes:$(<"$IT_DIR/target/reliability.classpath")" \
  org.fairrescore.reliability.Reliability --url "http://127.0.0.1:$HTTP_PORT" --node-sh "$NODE" "${tool_args[@]}"
