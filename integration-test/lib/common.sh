# Shared preamble of the integration-test scripts (demo.sh, report.sh, test-all.sh, reliability.sh, jmh.sh,
# bench/bench.sh). Sourced, never run:   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"; fr_init demo.sh
#
# fr_init NAME   checks the JDK (FR_JAVA_HOME, default Temurin 25: OpenSearch 3.8 needs Java 21+) and Maven, exports
#                JAVA_HOME, PATH and FR_JAVA_HOME, and sets IT_DIR (integration-test/), REPO_DIR (the checkout) and
#                NODE (node.sh); messages are prefixed with NAME
# die MSG        prints "NAME: ERROR: MSG" and exits 1
# step MSG       prints a "== MSG" heading on stderr
# fr_plugin_zip  prints the path of the one target/fair-rescore-*.zip, or dies naming what it found
# fr_stop_node_on_exit [HOOK]
#                on exit (also on failure or Ctrl-C) stop the node once FR_NODE_STARTED=true, then run HOOK with the
#                exit status (test-all.sh prints its timings so); a failed stop turns a success into exit 1

readonly FR_DEFAULT_JDK=/usr/lib/jvm/temurin-25-jdk-amd64

die() { printf '%s: ERROR: %s\n' "${FR_SCRIPT:-fair-rescore}" "$*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*" >&2; }

fr_init() {
  FR_SCRIPT=$1
  local jdk=${FR_JAVA_HOME:-$FR_DEFAULT_JDK}
  [[ -x $jdk/bin/java ]] || die "no JDK at $jdk: fair-rescore needs Java 21+ (OpenSearch 3.8); install temurin-25-jdk or set FR_JAVA_HOME"
  export JAVA_HOME=$jdk FR_JAVA_HOME=$jdk
  export PATH=$JAVA_HOME/bin:$PATH
  command -v mvn >/dev/null || die "mvn (Maven 3.8+) is not on PATH"
  IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
  REPO_DIR=$(dirname "$IT_DIR")
  NODE=$IT_DIR/node.sh
  [[ -x $NODE ]] || die "$NODE is missing or not executable"
}

fr_plugin_zip() {
  local zips
  shopt -s nullglob
  zips=("$REPO_DIR"/target/fair-rescore-*.zip)
  shopt -u nullglob
  ((${#zips[@]} == 1)) || die "expected exactly one $REPO_DIR/target/fair-rescore-*.zip, found ${#zips[@]}: ${zips[*]:-none} (build it, or mvn clean package)"
  printf '%s\n' "${zips[0]}"
}

FR_NODE_STARTED=false
FR_EXIT_HOOK=:

fr_on_exit() {
  local rc=$?
  trap - EXIT
  if $FR_NODE_STARTED; then
    step "node.sh stop"
    "$NODE" stop || rc=$((rc == 0 ? 1 : rc))
  fi
  "$FR_EXIT_HOOK" "$rc"
  exit "$rc"
}

fr_stop_node_on_exit() {
  FR_EXIT_HOOK=${1:-:}
  trap fr_on_exit EXIT
  trap 'exit 130' INT TERM
}
