# Shared preamble of the integration-test scripts (demo.sh, test-all.sh, node.sh, cluster.sh, chaos.sh, report.sh,
# reliability.sh, jmh.sh, bench/bench.sh, cuda-check.sh) and of .ci/run. Sourced, never run; sourcing it needs no JDK and starts nothing:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#
# fr_init NAME     finds the JDK (fr_find_java, or dies with its report), checks Maven, and sets IT_DIR
#                  (integration-test/), REPO_DIR (the checkout) and NODE (node.sh); messages are prefixed with NAME
# fr_find_java     JDK discovery, the one place every script finds its JDK (see below). On success exports JAVA_HOME,
#                  FR_JAVA_HOME (so the scripts it starts take it at once) and PATH, and returns 0;
#                  otherwise sets FR_JAVA_REPORT (every candidate, where it came from and its version) and returns 1
# fr_require_java  fr_find_java, or die with its report
# die MSG          prints "NAME: ERROR: MSG" and exits 1
# fr_usage_error MSG
#                  prints "NAME: MSG" and the synopsis of the script's usage (its function `usage`, up to the
#                  first empty line) on stderr, and exits 2
# step MSG         prints a "== MSG" heading on stderr
# fr_plugin_zip    prints the path of the one target/fair-rescore-*.zip, or dies naming what it found
# fr_stop_node_on_exit [HOOK]
#                  on exit (also on failure or Ctrl-C) stop the node once FR_NODE_STARTED=true, then run HOOK with the
#                  exit status (test-all.sh prints its timings so); a failed stop turns a success into exit 1
# fr_help_jdk, fr_help_node_env HTTP_PORT TRANSPORT_PORT
#                  the Environment lines every --help shares (the JDK; the node's ports with their defaults, heap, home)
# fr_build_tools   compiles integration-test/ (mvn compile) and writes the runtime class path of its tools (the
#                  demo, the evaluation report, the reliability run; the benchmark compiles against it) to
#                  target/tools.classpath, in the same Maven run; sets FR_TOOLS_CLASSPATH to target/classes and those jars
# fr_java CLASSPATH [JVM_OPTION...] MAIN_CLASS [ARG...]
#                  the one way the scripts start a Java tool: the JDK fr_init found, the class path in the CLASSPATH
#                  variable, never -cp (ONNX Runtime's native init crashes on long command lines: see OnnxEmbedder),
#                  JVM options one word each (-Xmx1g, -Dkey=value), then the main class and its arguments exactly as
#                  given, so an argument may hold spaces or quotes. Returns the tool's exit status
# The functions that start and stop real nodes (node.sh's one, cluster.sh's three) are at the end of this file.
#
# JDK discovery, as Java tools do it: the candidates, in this order, are
#   1. FR_JAVA_HOME (this project's override), 2. JAVA_HOME, 3. `java` on PATH (its real home, links resolved),
#   4. JDKs in the usual install folders (FR_JDK_SEARCH, default below), newest first by their `release` file.
# The first that has bin/java and bin/javac and reports java.specification.version 21 or newer wins (OpenSearch 3.8's
# classes are Java 21). When none does, the report lists every candidate with its source and what it is.

FR_MIN_JAVA=21
FR_JDK_SEARCH_DEFAULT='/usr/lib/jvm/* /usr/java/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* /opt/*-jdk* ~/.sdkman/candidates/java/* ~/.jdks/*'
FR_SCRIPT=${FR_SCRIPT:-$(basename "$0")}

die() { printf '%s: ERROR: %s\n' "${FR_SCRIPT:-fair-rescore}" "$*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*" >&2; }

fr_usage_error() {
  {
    printf '%s: %s\n' "${FR_SCRIPT:-fair-rescore}" "$*"
    usage | sed -n '1,/^$/p' # the synopsis: the usage up to its first empty line (reads it all: no SIGPIPE)
    printf 'Run it with --help for the options, the environment and an example.\n'
  } >&2
  exit 2
}

fr_help_jdk() {
  cat <<EOF
  FR_JAVA_HOME, JAVA_HOME  the JDK (21 or newer). Looked for in this order: FR_JAVA_HOME, JAVA_HOME, \`java\` on PATH,
                           then the JDKs under /usr/lib/jvm and other install folders (FR_JDK_SEARCH), newest first;
                           the first JDK 21+ wins, and when there is none the error lists what was found
EOF
}

fr_help_node_env() {
  cat <<EOF
  FR_HTTP_PORT ($1), FR_TRANSPORT_PORT ($2)   the node's ports; give each checkout its own to run two at once
  FR_HEAP (1g), FR_NODE_HOME, FR_JAVA_OPTS, FR_START_TIMEOUT (180 s), FR_STOP_TIMEOUT (30 s)
                           the node's heap, home folder, extra JVM flags and timeouts (integration-test/node.sh --help)
EOF
}

# The major Java version of a JDK home ("25", "21", "8"), from its own java: java.specification.version, else the
# version "..." line. Prints nothing when that java does not run.
fr_java_major() {
  local out spec
  out=$(timeout 30 "$1/bin/java" -XshowSettings:properties -version 2>&1) || true
  spec=$(sed -n '/^[[:space:]]*java\.specification\.version[[:space:]]*=/{s/^[^=]*=[[:space:]]*//p;q;}' <<<"$out")
  [[ -n $spec ]] || spec=$(sed -n '/^[^"]* version "[^"]*"/{s/^[^"]* version "\([^"]*\)".*/\1/p;q;}' <<<"$out")
  spec=${spec#1.} # 1.8 -> 8
  spec=${spec%%[!0-9]*}
  printf '%s' "$spec"
}

# The major version a JDK's `release` file claims (for ordering only; the version that counts is fr_java_major's).
fr_release_major() {
  local v
  v=$(sed -n '/^JAVA_VERSION="/{s/^JAVA_VERSION="\([^"]*\)".*/\1/p;q;}' "$1/release" 2>/dev/null)
  v=${v#1.}
  v=${v%%[!0-9]*}
  printf '%s' "${v:-0}"
}

fr_find_java() {
  local -a homes=() sources=()
  local home src
  if [[ -n ${FR_JAVA_HOME:-} ]]; then homes+=("$FR_JAVA_HOME"); sources+=("FR_JAVA_HOME"); fi
  if [[ -n ${JAVA_HOME:-} ]]; then homes+=("$JAVA_HOME"); sources+=("JAVA_HOME"); fi
  local on_path
  if on_path=$(command -v java 2>/dev/null) && [[ $on_path == /* ]]; then
    home=$(readlink -f "$on_path")
    home=${home%/bin/java}
    home=${home%/jre}
    homes+=("$home"); sources+=("java on PATH ($on_path)")
  fi
  # install folders, newest first by their release file
  local pattern dir
  local -a found=()
  for pattern in ${FR_JDK_SEARCH:-$FR_JDK_SEARCH_DEFAULT}; do
    pattern=${pattern/#\~/${HOME:-}}
    for dir in $pattern; do
      [[ -d $dir && -e $dir/bin/java ]] && found+=("$(fr_release_major "$dir") $dir")
    done
  done
  if ((${#found[@]} > 0)); then
    while read -r _ dir; do
      homes+=("$dir"); sources+=("${dir%/*}")
    done < <(printf '%s\n' "${found[@]}" | sort -s -k1,1nr)
  fi

  local i real major what report="" skipped=""
  local -A seen=()
  for i in "${!homes[@]}"; do
    home=${homes[i]%/}
    src=${sources[i]}
    real=$(readlink -f "$home" 2>/dev/null || printf '%s' "$home")
    if [[ -n ${seen[$real]:-} ]]; then
      what=${seen[$real]} # the same JDK under another name or from another source: checked once
    elif [[ ! -d $home ]]; then
      what="no such folder"
    elif [[ ! -x $home/bin/java ]]; then
      what="no bin/java there"
    else
      major=$(fr_java_major "$home")
      if [[ -z $major ]]; then
        what="its bin/java does not run"
      elif [[ ! -x $home/bin/javac ]]; then
        what="Java $major, but a JRE (no bin/javac)"
      elif ((major < FR_MIN_JAVA)); then
        what="Java $major, too old"
      else
        export JAVA_HOME=$home FR_JAVA_HOME=$home
        export PATH=$home/bin:$PATH
        # say which JDK was taken when it is not the one the caller named first
        if [[ $src != FR_JAVA_HOME ]] && [[ -n $skipped || $src != JAVA_HOME ]]; then
          printf '%s: using Java %s at %s, found via %s%s\n' "${FR_SCRIPT:-fair-rescore}" "$major" "$home" "$src" \
            "${skipped:+; skipped:$skipped}" >&2
        fi
        return 0
      fi
    fi
    seen[$real]=$what
    [[ $src != /* ]] && skipped+="${skipped:+,} $src=$home ($what)"
    report+=$(printf '\n  %-30s %s: %s' "$src" "$home" "$what")
  done
  ((${#found[@]} > 0)) ||
    report+=$(printf '\n  %-30s none found under %s' "install folders" "${FR_JDK_SEARCH:-$FR_JDK_SEARCH_DEFAULT}")
  FR_JAVA_REPORT="no JDK $FR_MIN_JAVA or newer found (OpenSearch 3.8 needs Java $FR_MIN_JAVA+). Looked at, in order:$report
Install a JDK $FR_MIN_JAVA+ (e.g. Temurin 25, or openjdk-21-jdk-headless where your distribution has it) and point JAVA_HOME (or FR_JAVA_HOME) at it."
  return 1
}

fr_require_java() { fr_find_java || die "$FR_JAVA_REPORT"; }

fr_init() {
  FR_SCRIPT=$1
  fr_require_java
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

fr_build_tools() {
  local classpath_file=$IT_DIR/target/tools.classpath
  mvn -q -B -ntp -Dstyle.color=never -f "$IT_DIR/pom.xml" compile dependency:build-classpath -DincludeScope=runtime \
    "-Dmdep.outputFile=$classpath_file" || die "could not compile integration-test/ (mvn -f integration-test/pom.xml compile)"
  FR_TOOLS_CLASSPATH=$IT_DIR/target/classes:$(<"$classpath_file")
}

fr_java() {
  local classpath=$1
  shift
  local -a jvm=()
  while [[ $# -gt 0 && $1 == -* ]]; do
    jvm+=("$1")
    shift
  done
  [[ $# -gt 0 ]] || die "fr_java: no main class given"
  CLASSPATH=$classpath "$JAVA_HOME/bin/java" "${jvm[@]}" "$@"
}

# --- Real nodes: their user, home, JVM, start and stop (node.sh: one node; cluster.sh: three from the same home) ---
# fr_node_user     who runs nodes: as root uid/gid 65534 (nobody) through setpriv, because OpenSearch refuses root;
#                  otherwise the caller. Sets FR_NODE_EXEC (the command prefix, an array) and FR_NODE_OWNER (uid:gid)
# fr_as_node CMD   runs CMD as the node user
# fr_node_home IT_DIR
#                  prints the node home: FR_NODE_HOME, else IT_DIR/target/node when the node user can reach it, else
#                  /var/tmp/fair-rescore-node-<hash of IT_DIR> (a checkout under /root is not traversable by nobody)
# fr_home_pids HOME
#                  the pids of every JVM running with that node home (node.sh's node and cluster.sh's nodes)
# fr_pid_file_pid FILE ARG
#                  the pid in FILE when that process is alive and its command line holds ARG as a whole argument (a
#                  stale pid file never makes us signal an unrelated process); nothing otherwise
# fr_port_in_use PORT
#                  something accepts connections on 127.0.0.1:PORT
# fr_node_jvm HEAP HOME CONF LOGS TMP
#                  the node's JVM flags in the array FR_NODE_JVM (+ FR_JAVA_OPTS)
# fr_launch_node HOME CONF LOGS PIDFILE ARGS...
#                  starts org.opensearch.bootstrap.OpenSearch in the background as the node user (output appended to
#                  LOGS/console.log), writes PIDFILE and sets FR_NODE_PID; FR_NODE_JVM must be set. With
#                  FR_NODE_DETACH=true the node gets a session of its own (setsid: a Ctrl-C of the caller's terminal
#                  does not reach it; the pid stays the same, as the launching subshell is no process group leader)
# fr_wait_http PORT PID DEADLINE LOGS LOGFILE
#                  waits until 127.0.0.1:PORT answers HTTP 200 (epoch DEADLINE); dies with the log tails if PID dies
# fr_stop_pid PID TIMEOUT
#                  SIGTERM, SIGKILL after TIMEOUT seconds; returns once the process is gone
FR_OPENSEARCH_VERSION=3.8.0
FR_NODE_UID=65534
FR_NODE_GID=65534
FR_NODE_MAIN_CLASS=org.opensearch.bootstrap.OpenSearch
FR_NODE_MARKER=.fair-rescore-node

fr_node_user() {
  if [[ $EUID -eq 0 ]]; then
    command -v setpriv >/dev/null || die "setpriv (util-linux) is needed to run the node as uid $FR_NODE_UID"
    FR_NODE_EXEC=(setpriv "--reuid=$FR_NODE_UID" "--regid=$FR_NODE_GID" --clear-groups)
    FR_NODE_OWNER=$FR_NODE_UID:$FR_NODE_GID
  else
    FR_NODE_EXEC=()
    FR_NODE_OWNER=$(id -u):$(id -g)
  fi
}

fr_as_node() { "${FR_NODE_EXEC[@]}" "$@"; }

fr_node_home() {
  local it_dir=$1
  if [[ -n ${FR_NODE_HOME:-} ]]; then
    [[ $FR_NODE_HOME == /* ]] || die "FR_NODE_HOME must be an absolute path (got '$FR_NODE_HOME')"
    printf '%s\n' "${FR_NODE_HOME%/}"
  elif fr_as_node test -r "$it_dir" -a -x "$it_dir"; then
    printf '%s\n' "$it_dir/target/node"
  else
    printf '%s\n' "/var/tmp/fair-rescore-node-$(printf '%s' "$it_dir" | sha256sum | cut -c1-12)"
  fi
}

fr_home_pids() {
  local proc
  for proc in /proc/[0-9]*; do
    [[ -r $proc/cmdline ]] || continue
    if tr '\0' '\n' <"$proc/cmdline" 2>/dev/null | grep -qxF -e "-Dopensearch.path.home=$1"; then
      printf '%s\n' "${proc#/proc/}"
    fi
  done
}

fr_pid_file_pid() {
  [[ -f $1 ]] || return 0
  local pid
  pid=$(<"$1")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  if [[ -r /proc/$pid/cmdline ]] && tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -e "$2"; then
    printf '%s' "$pid"
  fi
}

fr_port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

fr_node_jvm() {
  local heap=$1 home=$2 conf=$3 logs=$4 tmp=$5
  # shellcheck disable=SC2054 # the commas belong to -Djava.locale.providers=SPI,CLDR
  FR_NODE_JVM=(
    "-Xms$heap" "-Xmx$heap"
    -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow "-XX:ErrorFile=$logs/hs_err_pid%p.log"
    -Dfile.encoding=UTF-8 -Djava.locale.providers=SPI,CLDR -Djava.awt.headless=true
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true
    "-Djava.io.tmpdir=$tmp"
    --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED
    "-javaagent:$home/agent/opensearch-agent-$FR_OPENSEARCH_VERSION.jar"
    "-Dopensearch.path.home=$home" "-Dopensearch.path.conf=$conf"
    -Dopensearch.distribution.type=tar
  )
  # shellcheck disable=SC2206 # FR_JAVA_OPTS is a list of flags by design
  [[ -n ${FR_JAVA_OPTS:-} ]] && FR_NODE_JVM+=($FR_JAVA_OPTS)
  return 0
}

fr_launch_node() {
  local home=$1 conf=$2 logs=$3 pid_file=$4
  shift 4
  [[ -f $logs/console.log ]] && mv -f "$logs/console.log" "$logs/console.log.1"
  local -a detach=()
  [[ ${FR_NODE_DETACH:-false} == true ]] && detach=(setsid)
  (
    cd "$home"
    exec nohup "${detach[@]}" "${FR_NODE_EXEC[@]}" "$JAVA_HOME/bin/java" "${FR_NODE_JVM[@]}" -cp "$home/lib/*" "$FR_NODE_MAIN_CLASS" "$@" \
      </dev/null >>"$logs/console.log" 2>&1
  ) &
  FR_NODE_PID=$!
  printf '%s\n' "$FR_NODE_PID" >"$pid_file"
}

fr_wait_http() {
  local port=$1 pid=$2 deadline=$3 logs=$4 logfile=$5 code
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      printf '%s: the node (pid %s, port %s) died during start; last output:\n' "$FR_SCRIPT" "$pid" "$port" >&2
      tail -n 40 "$logs/console.log" >&2 2>/dev/null || true
      tail -n 40 "$logs/$logfile" >&2 2>/dev/null || true
      die "node failed to start (logs in $logs)"
    fi
    code=$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "http://127.0.0.1:$port/" || true)
    [[ $code == 200 ]] && return 0
    (($(date +%s) < deadline)) || die "no HTTP answer on port $port after ${FR_START_TIMEOUT:-180}s (pid $pid still running; see the logs in $logs)"
    sleep 0.5
  done
}

fr_stop_pid() {
  local pid=$1 timeout=$2 deadline
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(($(date +%s) + timeout))
  while kill -0 "$pid" 2>/dev/null && (($(date +%s) < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    printf '%s: no exit after %ss of SIGTERM; sending SIGKILL to %s\n' "$FR_SCRIPT" "$timeout" "$pid" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  return 0
}
