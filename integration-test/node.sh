#!/usr/bin/env bash
# A real OpenSearch node for fair-rescore, assembled from Maven Central jars: node.sh VERB. See --help.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
FR_SCRIPT=node.sh

usage() {
  cat <<EOF
Usage: integration-test/node.sh VERB [ARGS]
  assemble              lay out the node home (lib/, modules/, agent/, config/, ...) with Maven     5-17 s
  install <zip>         install a plugin zip with the real plugin CLI (replaces an old install)      4-11 s
  start [-Ekey=value]...
                        start in the background as an unprivileged user, wait for green           13-42 s
  stop                  graceful stop (SIGTERM), SIGKILL after FR_STOP_TIMEOUT seconds              1-5 s
  status                is it running (exit 3 if not), cluster health, installed plugins
  logs [-f] [N]         last N lines (default 100) of the node log; -f follows it
  home                  print the node home folder
  help, -h, --help      this help

A real OpenSearch 3.8.0 node home built from Maven Central jars (no distribution tarball is published), with the
plugin installed by OpenSearch's own plugin CLI. As root the node runs as uid 65534 (nobody) through setpriv, because
OpenSearch refuses to run as root. Every verb can be re-run; assemble and install refuse while the node runs. Node
settings go on the start line (-Efair_rescore.inference.threads=1), not into opensearch.yml.
Takes the times in the right-hand column, measured on this 2-core machine with a warm Maven cache (start: with
fair-rescore installed, until the cluster is green).

Environment (defaults):
  FR_HTTP_PORT (9200), FR_TRANSPORT_PORT (9300)
                           the node's ports (-Ehttp.port, -Etransport.port); give each checkout its own
  FR_HEAP (1g)             -Xms and -Xmx
  FR_NODE_HOME             the node home (absolute); default integration-test/target/node, or
                           /var/tmp/fair-rescore-node-<hash of this checkout> when the node user cannot reach it
  FR_JAVA_OPTS             extra JVM flags for the node
  FR_START_TIMEOUT (180)   seconds start waits for green
  FR_STOP_TIMEOUT (30)     seconds stop waits before SIGKILL
$(fr_help_jdk)
                           (assemble, install and start need it; stop, status, logs and home do not)

Example:
  integration-test/node.sh assemble
  integration-test/node.sh install target/fair-rescore-0.1.0.zip
  FR_HTTP_PORT=9250 FR_TRANSPORT_PORT=9350 integration-test/node.sh start -Efair_rescore.inference.threads=1
  curl -s localhost:9250/_plugins/_fair_rescore/stats
  integration-test/node.sh stop
EOF
}

# --- verbs and their arguments, checked before anything is looked up or started ------------------
VERB=${1:-}
[[ $# -gt 0 ]] && shift
for arg in "$@"; do
  [[ $arg == -h || $arg == --help ]] && { usage; exit 0; }
done
case $VERB in
  help | -h | --help) usage; exit 0 ;;
  '') fr_usage_error "which verb?" ;;
  assemble | stop | status | home) [[ $# -eq 0 ]] || fr_usage_error "$VERB takes no arguments, got: $*" ;;
  install) [[ $# -eq 1 ]] || fr_usage_error "install takes one plugin zip, got $# arguments" ;;
  start)
    for arg in "$@"; do
      [[ $arg == -E?*=* ]] || fr_usage_error "start takes node settings as -Ekey=value, got '$arg'"
    done
    ;;
  logs)
    for arg in "$@"; do
      [[ $arg == -f || $arg =~ ^[0-9]+$ ]] || fr_usage_error "logs takes [-f] [lines], got '$arg'"
    done
    ;;
  *) fr_usage_error "unknown verb '$VERB'" ;;
esac

readonly OPENSEARCH_VERSION=$FR_OPENSEARCH_VERSION
readonly CLI_CLASS=org.opensearch.tools.cli.plugin.PluginCli
readonly MARKER=$FR_NODE_MARKER

IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
readonly IT_DIR
readonly BUILD_HOME=$IT_DIR/target/node
readonly CLI_DIR=$IT_DIR/target/plugin-cli
readonly HTTP_PORT=${FR_HTTP_PORT:-9200}
readonly TRANSPORT_PORT=${FR_TRANSPORT_PORT:-9300}
readonly HEAP=${FR_HEAP:-1g}
readonly START_TIMEOUT=${FR_START_TIMEOUT:-180}
readonly STOP_TIMEOUT=${FR_STOP_TIMEOUT:-30}

log() { printf 'node.sh: %s\n' "$*" >&2; }
now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- who runs the node, where it lives (lib/common.sh, shared with cluster.sh) -----------------
# OpenSearch refuses to run as root. As root we drop to nobody (65534) with setpriv; as any other
# user the node simply runs as that user. FR_NODE_HOME wins; otherwise the Maven output folder, if
# the node user can reach it; a checkout under e.g. /root is not traversable by nobody, and then the
# home is copied to a folder under /var/tmp named after this checkout (so two checkouts never share
# a node home).
fr_node_user
readonly NODE_OWNER=$FR_NODE_OWNER
as_node() { fr_as_node "$@"; }
NODE_HOME=$(fr_node_home "$IT_DIR")
readonly NODE_HOME
readonly PID_FILE=$NODE_HOME/node.pid
readonly LOG_DIR=$NODE_HOME/logs

# The JDK, found as every script finds it (lib/common.sh); only the verbs that run Java need it.
require_java() { fr_require_java; }

require_assembled() {
  [[ -f $NODE_HOME/lib/opensearch-$OPENSEARCH_VERSION.jar && -f $NODE_HOME/$MARKER ]] ||
    die "no assembled node at $NODE_HOME: run '$0 assemble' first"
}

# The pid of our node, or nothing. A pid counts only if that process is an OpenSearch node with
# this home and config folder: a stale pid file never makes us signal an unrelated process (nor a
# cluster.sh node, which runs from the same home with a config folder of its own).
node_pid() { fr_pid_file_pid "$PID_FILE" "-Dopensearch.path.conf=$NODE_HOME/config"; }

# Nothing may run from this home: neither this node nor the nodes of cluster.sh.
require_stopped() {
  local pid pids
  pid=$(node_pid)
  [[ -z $pid ]] || die "the node is running (pid $pid, home $NODE_HOME): run '$0 stop' first ($1)"
  pids=$(fr_home_pids "$NODE_HOME" | tr '\n' ' ')
  [[ -z $pids ]] || die "nodes of cluster.sh run from $NODE_HOME (pids $pids): run 'integration-test/cluster.sh down' first ($1)"
}

http() { curl -sS --max-time "${2:-10}" "http://127.0.0.1:$HTTP_PORT$1"; }

port_in_use() { fr_port_in_use "$1"; }

# Everything the node reads must be readable by its user, whatever umask built it.
fix_permissions() {
  chmod 755 "$NODE_HOME"
  [[ $NODE_HOME != "$BUILD_HOME" ]] || chmod a+rx "$IT_DIR/target"
  chmod -R a+rX "$NODE_HOME/lib" "$NODE_HOME/modules" "$NODE_HOME/agent" "$NODE_HOME/bin" "$NODE_HOME/plugins"
  mkdir -p "$NODE_HOME/data" "$NODE_HOME/logs" "$NODE_HOME/tmp"
  chown -R "$NODE_OWNER" "$NODE_HOME/data" "$NODE_HOME/logs" "$NODE_HOME/tmp" "$NODE_HOME/config"
  chmod -R u+rwX "$NODE_HOME/config"
}

check_node_can_read() {
  local f
  for f in lib/opensearch-$OPENSEARCH_VERSION.jar agent/opensearch-agent-$OPENSEARCH_VERSION.jar \
    modules/transport-netty4/plugin-descriptor.properties modules/reindex/plugin-descriptor.properties config/opensearch.yml; do
    as_node test -r "$NODE_HOME/$f" ||
      die "uid ${NODE_OWNER%%:*} cannot read $NODE_HOME/$f (a parent folder is not traversable?); set FR_NODE_HOME to a folder it can reach"
  done
  as_node test -w "$NODE_HOME/data" -a -w "$NODE_HOME/logs" -a -w "$NODE_HOME/tmp" ||
    die "uid ${NODE_OWNER%%:*} cannot write data/, logs/ or tmp/ under $NODE_HOME"
}

# No jar may be in lib/ and in a folder that shares its class path: the node loads each module
# with lib/ as the parent, the plugin CLI runs on lib/ + plugin-cli/; a jar in both would fail with
# jar hell, or worse, load the wrong one. (Two modules may each carry the same jar.)
check_jar_sets() {
  local dup d
  artifacts() { find "$1" -maxdepth 1 -name '*.jar' -printf '%f\n' | sed -E 's/-[0-9][^-]*(-[A-Za-z_0-9]+)*\.jar$//' | sort -u; }
  for d in "$BUILD_HOME"/modules/* "$CLI_DIR"; do
    dup=$(cat <(artifacts "$BUILD_HOME/lib") <(artifacts "$d") | sort | uniq -d)
    [[ -z $dup ]] || die "jar(s) in both lib/ and ${d#"$BUILD_HOME"/}: $dup"
  done
  local f
  for f in "$BUILD_HOME/lib/opensearch-$OPENSEARCH_VERSION.jar" \
    "$BUILD_HOME/lib/opensearch-plugin-classloader-$OPENSEARCH_VERSION.jar" \
    "$BUILD_HOME/lib/log4j-core-"*.jar \
    "$BUILD_HOME/modules/transport-netty4/transport-netty4-client-$OPENSEARCH_VERSION.jar" \
    "$BUILD_HOME/modules/reindex/reindex-client-$OPENSEARCH_VERSION.jar" \
    "$BUILD_HOME/agent/opensearch-agent-$OPENSEARCH_VERSION.jar" \
    "$BUILD_HOME/agent/opensearch-agent-bootstrap-$OPENSEARCH_VERSION.jar" \
    "$BUILD_HOME/agent/byte-buddy-"*.jar \
    "$CLI_DIR/opensearch-plugin-cli-"*.jar; do
    [[ -f $f ]] || die "assembly is missing $f"
  done
  if compgen -G "$BUILD_HOME/lib/netty-*.jar" >/dev/null; then die "netty jars leaked into lib/"; fi
}

# --- assemble ----------------------------------------------------------------------------------
cmd_assemble() {
  require_java
  command -v mvn >/dev/null || die "mvn (Maven 3.8+) is not on PATH"
  require_stopped "its jars would change under it"
  local t0
  t0=$(now)
  # Fresh jar folders, so a version change leaves no stale jar behind. config/ is rewritten file by
  # file (a keystore the node made stays); plugins/, data/ and logs/ are kept.
  rm -rf "${BUILD_HOME:?}/lib" "${BUILD_HOME:?}/modules" "${BUILD_HOME:?}/agent" "${BUILD_HOME:?}/bin" "${CLI_DIR:?}"
  log "assembling OpenSearch $OPENSEARCH_VERSION from Maven Central jars into $BUILD_HOME"
  mvn -B -q -ntp -Dstyle.color=never -f "$IT_DIR/node/pom.xml" process-resources ||
    die "Maven assembly failed (see above)"
  check_jar_sets
  touch "$BUILD_HOME/$MARKER"

  if [[ $NODE_HOME != "$BUILD_HOME" ]]; then
    if [[ -e $NODE_HOME && ! -f $NODE_HOME/$MARKER ]] && [[ -n $(ls -A "$NODE_HOME" 2>/dev/null) ]]; then
      die "$NODE_HOME exists, is not empty and is no node home of ours (no $MARKER); refusing to write into it"
    fi
    log "copying the node home to $NODE_HOME (the node user cannot reach $BUILD_HOME)"
    mkdir -p "$NODE_HOME/config" "$NODE_HOME/plugins"
    local d
    for d in lib modules agent bin; do
      rm -rf "${NODE_HOME:?}/$d"
      cp -R "$BUILD_HOME/$d" "$NODE_HOME/$d"
    done
    cp -f "$BUILD_HOME/config/"* "$NODE_HOME/config/"
    touch "$NODE_HOME/$MARKER"
  fi
  fix_permissions
  check_node_can_read
  log "assembled in $(elapsed "$t0") s: home $NODE_HOME ($(du -sh "$NODE_HOME" | cut -f1)," \
    "$(find "$NODE_HOME/lib" -name '*.jar' | wc -l) jars in lib/, plugin CLI in $CLI_DIR)"
}

# --- plugin CLI --------------------------------------------------------------------------------
# The distribution's bin/opensearch-plugin runs the CLI with lib/* plus lib/tools/plugin-cli/*;
# here plugin-cli/ sits beside the home. It runs as the invoking user (root in CI): plugin files
# belong to root and are only readable by the node, as in a package install.
plugin_cli() {
  [[ -f $CLI_DIR/opensearch-plugin-cli-3.6.0.jar ]] || die "no plugin CLI at $CLI_DIR: run '$0 assemble' first"
  "$JAVA_HOME/bin/java" -Xms64m -Xmx512m -XX:+UseSerialGC \
    -Dopensearch.path.home="$NODE_HOME" -Dopensearch.path.conf="$NODE_HOME/config" \
    -Dopensearch.distribution.type=tar \
    -cp "$NODE_HOME/lib/*:$CLI_DIR/*" "$CLI_CLASS" "$@"
}

cmd_install() {
  [[ $# -eq 1 ]] || die "usage: $0 install <plugin.zip>"
  require_java
  require_assembled
  require_stopped "plugins are loaded at start; stop, install, start"
  local zip descriptor name folder t0 secs
  zip=$(realpath -e -- "$1" 2>/dev/null) || die "no such plugin zip: $1"
  [[ -f $zip ]] || die "not a file: $zip"
  descriptor=$(unzip -p "$zip" plugin-descriptor.properties 2>/dev/null | tr -d '\r') || true
  name=$(sed -n 's/^name[[:space:]]*=[[:space:]]*//p' <<<"$descriptor")
  [[ -n $name ]] || die "$zip has no plugin-descriptor.properties with a name= at its root"
  # the CLI installs into plugins/<custom.foldername> when the descriptor sets one
  folder=$(sed -n 's/^custom.foldername[[:space:]]*=[[:space:]]*//p' <<<"$descriptor")
  folder=${folder:-$name}
  if [[ -e $NODE_HOME/plugins/$folder ]]; then
    log "removing the installed '$name' first"
    plugin_cli remove --purge "$name" || die "plugin CLI could not remove '$name'"
    [[ ! -e $NODE_HOME/plugins/$folder ]] || die "'$name' is still in $NODE_HOME/plugins after remove"
  fi
  log "installing $zip"
  t0=$(now)
  plugin_cli install --batch "file://${zip// /%20}" || die "plugin CLI failed to install $zip"
  secs=$(elapsed "$t0")
  [[ -f $NODE_HOME/plugins/$folder/plugin-descriptor.properties ]] ||
    die "the CLI reported success but $NODE_HOME/plugins/$folder has no descriptor"
  fix_permissions
  as_node test -r "$NODE_HOME/plugins/$folder/plugin-descriptor.properties" ||
    die "uid ${NODE_OWNER%%:*} cannot read the installed plugin"
  log "installed '$name' in $secs s ($(du -sh "$NODE_HOME/plugins/$folder" | cut -f1)); installed plugins: $(plugin_cli list | tr '\n' ' ')"
}

# --- start / stop ------------------------------------------------------------------------------
cmd_start() {
  require_java
  require_assembled
  local pid
  pid=$(node_pid)
  if [[ -n $pid ]]; then
    log "already running (pid $pid); waiting for green"
    wait_green "$pid" "$(now)"
    return
  fi
  port_in_use "$HTTP_PORT" && die "port $HTTP_PORT is already in use by another process (set FR_HTTP_PORT)"
  port_in_use "$TRANSPORT_PORT" && die "port $TRANSPORT_PORT is already in use by another process (set FR_TRANSPORT_PORT)"
  fix_permissions
  check_node_can_read
  fr_node_jvm "$HEAP" "$NODE_HOME" "$NODE_HOME/config" "$LOG_DIR" "$NODE_HOME/tmp"

  local t0
  t0=$(now)
  log "starting OpenSearch $OPENSEARCH_VERSION as uid ${NODE_OWNER%%:*} (heap $HEAP, http $HTTP_PORT, transport $TRANSPORT_PORT, home $NODE_HOME)"
  fr_launch_node "$NODE_HOME" "$NODE_HOME/config" "$LOG_DIR" "$PID_FILE" \
    "-Ehttp.port=$HTTP_PORT" "-Etransport.port=$TRANSPORT_PORT" "$@"
  wait_green "$FR_NODE_PID" "$t0"
}

wait_green() {
  local pid=$1 t0=$2 deadline http_s
  deadline=$(($(date +%s) + START_TIMEOUT))
  fr_wait_http "$HTTP_PORT" "$pid" "$deadline" "$LOG_DIR" fair-rescore-it.log
  http_s=$(elapsed "$t0")
  local left=$((deadline - $(date +%s)))
  ((left > 0)) || left=1
  local health
  health=$(curl -sS --max-time $((left + 5)) "http://127.0.0.1:$HTTP_PORT/_cluster/health?wait_for_status=green&timeout=${left}s") ||
    die "cluster health call failed"
  [[ $health == *'"status":"green"'* ]] || die "cluster not green within ${START_TIMEOUT}s: $health"
  log "node up (pid $pid): HTTP after $http_s s, green after $(elapsed "$t0") s"
}

cmd_stop() {
  local pid t0
  pid=$(node_pid)
  if [[ -z $pid ]]; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  t0=$(now)
  fr_stop_pid "$pid" "$STOP_TIMEOUT"
  rm -f "$PID_FILE"
  log "stopped (pid $pid) in $(elapsed "$t0") s"
}

cmd_status() {
  local pid
  pid=$(node_pid)
  if [[ -z $pid ]]; then
    printf 'not running (home %s)\n' "$NODE_HOME"
    return 3
  fi
  printf 'running: pid %s, home %s, http http://127.0.0.1:%s, RSS %s kB\n' "$pid" "$NODE_HOME" "$HTTP_PORT" \
    "$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")"
  printf 'health: %s\n' "$(http '/_cluster/health' || echo 'no answer')"
  printf 'plugins:\n%s\n' "$(http '/_cat/plugins?v' || echo 'no answer')"
}

cmd_logs() {
  local follow=() lines=100
  while [[ $# -gt 0 ]]; do
    case $1 in
      -f) follow=(-F) ;;
      *[!0-9]* | '') die "usage: $0 logs [-f] [lines]" ;;
      *) lines=$1 ;;
    esac
    shift
  done
  local f=$LOG_DIR/fair-rescore-it.log
  [[ -f $f ]] || f=$LOG_DIR/console.log
  [[ -f $f ]] || die "no logs yet in $LOG_DIR"
  tail -n "$lines" "${follow[@]}" "$f"
}

case $VERB in
  assemble) cmd_assemble ;;
  install) cmd_install "$@" ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  logs) cmd_logs "$@" ;;
  home) printf '%s\n' "$NODE_HOME" ;;
esac
