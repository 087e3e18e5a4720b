#!/usr/bin/env bash
# A real three-node OpenSearch cluster for fair-rescore, from node.sh's one node home: cluster.sh VERB. See --help.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
FR_SCRIPT=cluster.sh

usage() {
  cat <<EOF
Usage: integration-test/cluster.sh VERB [ARGS]
  up [--build] [-Ekey=value]...
                        start the nodes that are not running and wait until the cluster is green with 3 nodes;
                        first builds the plugin zip (when there is none, or --build), assembles the node home and
                        installs the zip (when the installed plugin is not that zip)              55-70 s
  down                  stop every node (SIGTERM, SIGKILL after FR_STOP_TIMEOUT), all at once         2-6 s
  status                each node's pid, ports and RSS, cluster health, the nodes (exit 3 unless all 3 run)
  kill N                SIGKILL node N (1-3): a crash, no shutdown                                     1-2 s
  stop N                graceful stop of node N
  start N [--without-plugin] [--no-wait] [-Ekey=value]...
                        start node N and wait until the cluster is green with every running node    26-105 s
  restart N [--without-plugin] [--no-wait] [-Ekey=value]...
                        stop N gracefully, start it, wait for green (one step of a rolling restart) 28-105 s
  logs N [-f] [LINES]   last LINES (100) of node N's log; -f follows it
  dir                   print the folder that holds each node's config, data, logs and pid file
  help, -h, --help      this help

Three real OpenSearch 3.8.0 nodes from the one home that integration-test/node.sh assembles (same jars, modules and
installed plugin), each with its own config folder (an opensearch.yml written at every start: cluster
fair-rescore-cluster, node fr-cluster-N, 127.0.0.1, seed hosts on loopback, all cluster-manager-eligible), data, logs,
tmp and pid file in node-N/ of the folder 'cluster.sh dir' prints. The home's config/opensearch.yml (single-node) stays as
it is: the plugin CLI reads it. cluster.initial_cluster_manager_nodes is passed only until the cluster first formed.
As root the nodes run as uid 65534 (nobody) through setpriv, like node.sh's node, each in a session of its own (a
Ctrl-C in the terminal does not reach them). Every node loads the default model and MiniLM
(-Efair_rescore.models=all-minilm-l6-v2-q) unless a -Efair_rescore.models=... on the line says otherwise; -E settings
apply to the nodes that verb starts. --without-plugin starts the node from a copy of the home (hard links) with no
plugins, to see what a node without fair-rescore does in the cluster; --no-wait returns once the node answers HTTP,
without waiting for it to join (a node the cluster refuses never turns it green). Every verb can be re-run: up and start on running nodes only wait for green, down,
stop and kill on stopped nodes do nothing. Data survives down; delete the folder of 'dir' for a fresh cluster.
Takes the times in the right-hand column on these 2 cores with another build running (up: three nodes starting at
once, 64 s on a clean clone including mvn package and the install; start and restart: 26-34 s on an idle cluster,
55-105 s under chaos.sh's load).

Environment (defaults):
  FR_CLUSTER_HTTP_PORT (9200), FR_CLUSTER_TRANSPORT_PORT (9300)
                           node N listens on base + N - 1 (9200-9202, 9300-9302); use others beside another node
  FR_CLUSTER_HEAP (768m)   -Xms and -Xmx of each node
  FR_NODE_HOME, FR_JAVA_OPTS
                           the node home and extra JVM flags, as for node.sh (integration-test/node.sh --help)
  FR_START_TIMEOUT (240), FR_STOP_TIMEOUT (30)
                           seconds a start waits for green, a stop before SIGKILL
$(fr_help_jdk)
                           (up, start and restart need it; the other verbs do not)

Example:
  export FR_CLUSTER_HTTP_PORT=9270 FR_CLUSTER_TRANSPORT_PORT=9370
  integration-test/cluster.sh up
  curl -s 'localhost:9270/_cat/nodes?v'
  integration-test/cluster.sh kill 2 && integration-test/cluster.sh start 2
  integration-test/cluster.sh restart 3 -Efair_rescore.models=
  integration-test/cluster.sh down
EOF
}

readonly NODES=3

# --- verbs and their arguments, checked before anything is looked up or started ------------------
VERB=${1:-}
[[ $# -gt 0 ]] && shift
for arg in "$@"; do
  [[ $arg == -h || $arg == --help ]] && { usage; exit 0; }
done
check_settings() {
  local arg
  for arg in "$@"; do
    [[ $arg == -E?*=* ]] || fr_usage_error "$VERB takes node settings as -Ekey=value, got '$arg'"
  done
}
check_node_number() {
  [[ ${1:-} =~ ^[1-9][0-9]*$ ]] && (($1 <= NODES)) || fr_usage_error "$VERB needs a node number 1-$NODES, got '${1:-}'"
}
BUILD=false
WITHOUT_PLUGIN=false
NO_WAIT=false
case $VERB in
  help | -h | --help) usage; exit 0 ;;
  '') fr_usage_error "which verb?" ;;
  up)
    args=()
    for arg in "$@"; do
      if [[ $arg == --build ]]; then BUILD=true; else args+=("$arg"); fi
    done
    check_settings "${args[@]}"
    set -- "${args[@]}"
    ;;
  down | status | dir) [[ $# -eq 0 ]] || fr_usage_error "$VERB takes no arguments, got: $*" ;;
  kill | stop)
    [[ $# -eq 1 ]] || fr_usage_error "$VERB takes one node number, got $# arguments"
    check_node_number "$1"
    ;;
  start | restart)
    check_node_number "${1:-}"
    args=("$1")
    for arg in "${@:2}"; do
      case $arg in
        --without-plugin) WITHOUT_PLUGIN=true ;;
        --no-wait) NO_WAIT=true ;;
        *) args+=("$arg") ;;
      esac
    done
    check_settings "${args[@]:1}"
    set -- "${args[@]}"
    ;;
  logs)
    check_node_number "${1:-}"
    for arg in "${@:2}"; do
      [[ $arg == -f || $arg =~ ^[0-9]+$ ]] || fr_usage_error "logs takes N [-f] [lines], got '$arg'"
    done
    ;;
  *) fr_usage_error "unknown verb '$VERB'" ;;
esac

IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
readonly IT_DIR
REPO_DIR=$(dirname "$IT_DIR")
readonly REPO_DIR NODE_SH=$IT_DIR/node.sh
readonly HTTP_BASE=${FR_CLUSTER_HTTP_PORT:-9200}
readonly TRANSPORT_BASE=${FR_CLUSTER_TRANSPORT_PORT:-9300}
readonly HEAP=${FR_CLUSTER_HEAP:-768m}
readonly START_TIMEOUT=${FR_START_TIMEOUT:-240}
readonly STOP_TIMEOUT=${FR_STOP_TIMEOUT:-30}
readonly CLUSTER_NAME=fair-rescore-cluster
readonly DEFAULT_MODELS=all-minilm-l6-v2-q
[[ $HTTP_BASE =~ ^[0-9]+$ && $TRANSPORT_BASE =~ ^[0-9]+$ ]] ||
  die "FR_CLUSTER_HTTP_PORT and FR_CLUSTER_TRANSPORT_PORT must be numbers"

log() { printf 'cluster.sh: %s\n' "$*" >&2; }
now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

fr_node_user
NODE_HOME=$(fr_node_home "$IT_DIR")
readonly NODE_HOME CLUSTER_DIR=$NODE_HOME/cluster
readonly FORMED=$CLUSTER_DIR/.formed # written once the cluster was first green: no more bootstrapping after that

node_name() { printf 'fr-cluster-%s' "$1"; }
node_dir() { printf '%s/node-%s' "$CLUSTER_DIR" "$1"; }
http_port() { printf '%s' $((HTTP_BASE + $1 - 1)); }
transport_port() { printf '%s' $((TRANSPORT_BASE + $1 - 1)); }
# The pid of node N, or nothing: the process must run with node N's config folder.
node_pid() { fr_pid_file_pid "$(node_dir "$1")/node.pid" "-Dopensearch.path.conf=$(node_dir "$1")/config"; }
running_nodes() {
  local n
  for ((n = 1; n <= NODES; n++)); do [[ -z $(node_pid "$n") ]] || printf '%s\n' "$n"; done
}
http() { curl -sS --max-time "${3:-10}" "http://127.0.0.1:$(http_port "$1")$2"; }

require_assembled() {
  [[ -f $NODE_HOME/lib/opensearch-$FR_OPENSEARCH_VERSION.jar && -f $NODE_HOME/$FR_NODE_MARKER ]] ||
    die "no assembled node home at $NODE_HOME: run 'integration-test/cluster.sh up' (or node.sh assemble and install)"
  compgen -G "$NODE_HOME/plugins/*/plugin-descriptor.properties" >/dev/null ||
    log "note: no plugin is installed in $NODE_HOME/plugins (the nodes start without fair-rescore)"
}

# --- up: the zip, the home, the installed plugin ---------------------------------------------------
plugin_zip() {
  shopt -s nullglob
  local zips=("$REPO_DIR"/target/fair-rescore-*.zip)
  shopt -u nullglob
  if $BUILD || ((${#zips[@]} == 0)); then
    command -v mvn >/dev/null || die "mvn (Maven 3.8+) is not on PATH"
    log "building the plugin zip (mvn package, tests skipped)"
    mvn -q -B -ntp -Dstyle.color=never -f "$REPO_DIR/pom.xml" -DskipTests package >&2 || die "the plugin build failed"
  fi
  fr_plugin_zip
}

# The installed plugin is current when its jar is byte-identical to the one in the zip (as report.sh decides).
plugin_current() {
  local zip=$1 jar installed
  jar=$(unzip -Z1 "$zip" | grep -m 1 -E '^fair-rescore-[^/]*\.jar$') || return 1
  installed=$(find "$NODE_HOME/plugins" -maxdepth 2 -name "$jar" -print -quit 2>/dev/null)
  [[ -n $installed ]] || return 1
  [[ $(unzip -p "$zip" "$jar" | sha256sum | cut -d' ' -f1) == $(sha256sum "$installed" | cut -d' ' -f1) ]]
}

prepare_home() {
  command -v unzip >/dev/null || die "unzip is not on PATH"
  local zip
  zip=$(plugin_zip)
  if [[ ! -f $NODE_HOME/$FR_NODE_MARKER || ! -f $NODE_HOME/lib/opensearch-$FR_OPENSEARCH_VERSION.jar ]]; then
    "$NODE_SH" assemble || die "node.sh assemble failed"
  fi
  if ! plugin_current "$zip"; then
    [[ -z $(running_nodes) ]] ||
      die "the running nodes have another build of the plugin than $(basename "$zip"): run '$0 down' first, then up"
    "$NODE_SH" install "$zip" || die "node.sh install failed"
  fi
}

# --- one node ------------------------------------------------------------------------------------------
write_config() {
  local n=$1 dir seeds="" i
  dir=$(node_dir "$n")
  mkdir -p "$dir/config" "$dir/data" "$dir/logs" "$dir/tmp"
  for ((i = 1; i <= NODES; i++)); do seeds+="${seeds:+, }\"127.0.0.1:$(transport_port "$i")\""; done
  cp -f "$NODE_HOME/config/log4j2.properties" "$dir/config/log4j2.properties"
  cat >"$dir/config/opensearch.yml" <<YML
# Node $n of integration-test/cluster.sh, rewritten at every start. Plain values only (no \${ENV} placeholders).
cluster.name: $CLUSTER_NAME
node.name: $(node_name "$n")
network.host: 127.0.0.1
http.port: $(http_port "$n")
transport.port: $(transport_port "$n")
path.data: $dir/data
path.logs: $dir/logs
discovery.seed_hosts: [$seeds]
# One zone per node, so that searches can be drained from a node before it stops (weighted routing:
# PUT _cluster/routing/awareness/zone/weights with weight 0 for its zone; chaos.sh does so in its rolling restart).
node.attr.zone: zone-$n
cluster.routing.allocation.awareness.attributes: zone
# A test cluster must not turn read-only or refuse shards because a shared CI disk is nearly full.
cluster.routing.allocation.disk.threshold_enabled: false
YML
  chmod 755 "$CLUSTER_DIR" "$dir"
  chown -R "$FR_NODE_OWNER" "$dir/config" "$dir/data" "$dir/logs" "$dir/tmp"
  chmod -R u+rwX "$dir/config"
  fr_as_node test -r "$NODE_HOME/lib/opensearch-$FR_OPENSEARCH_VERSION.jar" -a -r "$dir/config/opensearch.yml" ||
    die "uid ${FR_NODE_OWNER%%:*} cannot read $NODE_HOME/lib or $dir/config (a parent folder is not traversable?); set FR_NODE_HOME"
  fr_as_node test -w "$dir/data" -a -w "$dir/logs" -a -w "$dir/tmp" ||
    die "uid ${FR_NODE_OWNER%%:*} cannot write data/, logs/ or tmp/ under $dir"
}

# A home with the same jars and modules as the node home but no plugins (hard links where the file system allows).
bare_home() {
  local bare=$CLUSTER_DIR/home-without-plugins d
  if [[ ! -f $bare/$FR_NODE_MARKER || $NODE_HOME/$FR_NODE_MARKER -nt $bare/$FR_NODE_MARKER ]]; then
    rm -rf "$bare"
    mkdir -p "$bare/plugins" "$bare/config"
    for d in lib modules agent bin; do
      cp -al "$NODE_HOME/$d" "$bare/$d" 2>/dev/null || { rm -rf "${bare:?}/$d"; cp -R "$NODE_HOME/$d" "$bare/$d"; }
    done
    touch "$bare/$FR_NODE_MARKER"
    chmod 755 "$CLUSTER_DIR" "$bare" "$bare/plugins" "$bare/config"
  fi
  printf '%s\n' "$bare"
}

# Launches node N in the background (no waiting); prints nothing, sets LAUNCHED_PID. Settings follow.
launch() {
  local n=$1 dir arg models=false home=$NODE_HOME
  shift
  dir=$(node_dir "$n")
  mkdir -p "$CLUSTER_DIR"
  if $WITHOUT_PLUGIN; then
    home=$(bare_home)
    models=true # a node without the plugin refuses fair_rescore.* settings
  fi
  fr_port_in_use "$(http_port "$n")" &&
    die "port $(http_port "$n") (node $n) is already in use by another process (set FR_CLUSTER_HTTP_PORT)"
  fr_port_in_use "$(transport_port "$n")" &&
    die "port $(transport_port "$n") (node $n) is already in use by another process (set FR_CLUSTER_TRANSPORT_PORT)"
  write_config "$n"
  local -a settings=()
  for arg in "$@"; do [[ $arg == -Efair_rescore.models=* ]] && models=true; done
  $models || settings+=("-Efair_rescore.models=$DEFAULT_MODELS")
  if [[ ! -f $FORMED ]]; then
    local i names=""
    for ((i = 1; i <= NODES; i++)); do names+="${names:+,}$(node_name "$i")"; done
    settings+=("-Ecluster.initial_cluster_manager_nodes=$names")
  fi
  settings+=("$@")
  fr_node_jvm "$HEAP" "$home" "$dir/config" "$dir/logs" "$dir/tmp"
  FR_NODE_DETACH=true fr_launch_node "$home" "$dir/config" "$dir/logs" "$dir/node.pid" "${settings[@]}"
  LAUNCHED_PID=$FR_NODE_PID
  log "node $n ($(node_name "$n")): starting as uid ${FR_NODE_OWNER%%:*}, pid $LAUNCHED_PID, http $(http_port "$n"), transport $(transport_port "$n"), heap $HEAP$($WITHOUT_PLUGIN && printf ', WITHOUT PLUGINS')${*:+, $*}"
}

# Waits until every running node is in the cluster and it is green; prints how long it took since T0.
wait_green() {
  local t0=$1 deadline=$2 expected n health="" left
  while :; do
    local -a up
    mapfile -t up < <(running_nodes)
    expected=${#up[@]}
    ((expected > 0)) || die "no node is running"
    n=${up[0]}
    left=$((deadline - $(date +%s)))
    ((left > 0)) || die "the cluster is not green with $expected nodes after ${START_TIMEOUT}s: ${health:-no answer} (see '$0 logs N')"
    ((left <= 10)) || left=10
    health=$(http "$n" "/_cluster/health?wait_for_status=green&wait_for_nodes=$expected&timeout=${left}s&cluster_manager_timeout=${left}s" \
      $((left + 5)) 2>/dev/null || true)
    if [[ $health == *'"status":"green"'* && $health == *"\"number_of_nodes\":$expected,"* && $health != *'"timed_out":true'* ]]; then
      [[ -f $FORMED ]] || { mkdir -p "$CLUSTER_DIR"; date -u +%FT%TZ >"$FORMED"; }
      log "green with $expected nodes after $(elapsed "$t0") s"
      return 0
    fi
    sleep 0.5
  done
}

start_nodes() { # N... (settings in START_SETTINGS): launch those not running, wait for their HTTP, then for green
  local t0 deadline n pid
  t0=$(now)
  deadline=$(($(date +%s) + START_TIMEOUT))
  local -A pids=()
  for n in "$@"; do
    pid=$(node_pid "$n")
    if [[ -n $pid ]]; then
      log "node $n already running (pid $pid)"
    else
      launch "$n" "${START_SETTINGS[@]}"
      pids[$n]=$LAUNCHED_PID
    fi
  done
  for n in "${!pids[@]}"; do
    fr_wait_http "$(http_port "$n")" "${pids[$n]}" "$deadline" "$(node_dir "$n")/logs" "$CLUSTER_NAME.log"
    log "node $n answers HTTP after $(elapsed "$t0") s"
  done
  if $NO_WAIT; then
    log "--no-wait: not waiting for the cluster to take the node in"
    return 0
  fi
  wait_green "$t0" "$deadline"
}

stop_node() { # N [KILL]
  local n=$1 how=${2:-TERM} pid t0
  pid=$(node_pid "$n")
  if [[ -z $pid ]]; then
    rm -f "$(node_dir "$n")/node.pid"
    log "node $n not running"
    return 0
  fi
  t0=$(now)
  if [[ $how == KILL ]]; then
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    log "node $n killed (SIGKILL, pid $pid)"
  else
    fr_stop_pid "$pid" "$STOP_TIMEOUT"
    log "node $n stopped (pid $pid) in $(elapsed "$t0") s"
  fi
  rm -f "$(node_dir "$n")/node.pid"
}

# --- verbs -------------------------------------------------------------------------------------------
cmd_up() {
  local t0 n
  t0=$(now)
  START_SETTINGS=("$@")
  if [[ $(running_nodes | wc -l) -eq $NODES ]]; then
    log "all $NODES nodes are running; waiting for green"
  else
    fr_require_java
    prepare_home
    require_assembled
  fi
  local all=()
  for ((n = 1; n <= NODES; n++)); do all+=("$n"); done
  start_nodes "${all[@]}"
  http 1 '/_cat/nodes?v&h=name,http_address,node.role,cluster_manager,heap.max&s=name' >&2 2>/dev/null || true
  log "up in $(elapsed "$t0") s: http ports $HTTP_BASE-$(http_port $NODES), transport $TRANSPORT_BASE-$(transport_port $NODES)"
}

cmd_down() {
  local n pids=()
  for ((n = 1; n <= NODES; n++)); do
    stop_node "$n" &
    pids+=($!)
  done
  local rc=0 p
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  return "$rc"
}

cmd_start() {
  local n=$1
  shift
  fr_require_java
  require_assembled
  START_SETTINGS=("$@")
  start_nodes "$n"
}

cmd_status() {
  local n pid up=0 answering=""
  for ((n = 1; n <= NODES; n++)); do
    pid=$(node_pid "$n")
    if [[ -n $pid ]]; then
      up=$((up + 1))
      [[ -n $answering ]] || answering=$n
      printf 'node %s (%s): running, pid %s, http 127.0.0.1:%s, transport %s, RSS %s kB\n' "$n" "$(node_name "$n")" "$pid" \
        "$(http_port "$n")" "$(transport_port "$n")" "$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null)"
    else
      printf 'node %s (%s): not running (http 127.0.0.1:%s)\n' "$n" "$(node_name "$n")" "$(http_port "$n")"
    fi
  done
  printf 'folder: %s\n' "$CLUSTER_DIR"
  if [[ -n $answering ]]; then
    printf 'health: %s\n' "$(http "$answering" '/_cluster/health' || echo 'no answer')"
    printf 'nodes:\n%s\n' "$(http "$answering" '/_cat/nodes?v&h=name,http_address,node.role,cluster_manager,heap.percent&s=name' || echo 'no answer')"
  fi
  ((up == NODES)) || return 3
}

cmd_logs() {
  local n=$1 follow=() lines=100 arg
  shift
  for arg in "$@"; do
    if [[ $arg == -f ]]; then follow=(-F); else lines=$arg; fi
  done
  local logs f
  logs=$(node_dir "$n")/logs
  f=$logs/$CLUSTER_NAME.log
  [[ -f $f ]] || f=$logs/console.log
  [[ -f $f ]] || die "no logs yet in $logs"
  tail -n "$lines" "${follow[@]}" "$f"
}

case $VERB in
  up) cmd_up "$@" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  kill) stop_node "$1" KILL ;;
  stop) stop_node "$1" ;;
  start) cmd_start "$@" ;;
  restart)
    stop_node "$1"
    cmd_start "$@"
    ;;
  logs) cmd_logs "$@" ;;
  dir) printf '%s\n' "$CLUSTER_DIR" ;;
esac
