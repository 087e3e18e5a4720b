#!/usr/bin/env bash
# The whole fair-rescore test suite in one command; prints each step's time and "== ALL PASSED ==". See --help.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
FR_SCRIPT=test-all.sh

usage() {
  cat <<EOF
Usage: integration-test/test-all.sh [--skip-build]

The whole fair-rescore test suite in one command:
  1. mvn verify at the repo root       unit + internal-cluster tests, builds target/fair-rescore-*.zip
  2. node.sh assemble                  a real OpenSearch node home from Maven Central jars
  3. node.sh install <zip>             the plugin, installed by the real plugin CLI
  4. node.sh start                     as an unprivileged user, waits for green
  5. mvn verify in integration-test/   its unit tests (demo, evaluation, reliability tool, every script's --help),
                                       then REST tests against that node: RealNodeSmokeIT and the YAML suite
                                       (rest-api-spec/test/**/*.yml) run by OpenSearch's own YAML runner
  6. node.sh stop                      always (trap), also when a step fails
  7. reliability.sh --load-seconds 20  bad input, faults, load, inference isolation, security on a fresh node
                                       (its own start and stop; reliability.sh alone runs the full 2-minute load)
Stops at the first failure and ends with each step's time and "== ALL PASSED ==" or "== FAILED (exit N) ==".

Options:
  --skip-build     reuse the zip already in target/ (skips step 1; for iterating on the real-node tests)
  -h, --help       this help

Environment:
$(fr_help_node_env 9200 9300)
$(fr_help_jdk)

Takes 4-8 minutes here: 204 s on 2 idle cores with a warm Maven cache, 311-454 s while another build ran (the root
mvn verify 60-145 s of it, which --skip-build saves; the reliability step 150-320 s).

Example:
  integration-test/test-all.sh
  FR_HTTP_PORT=9250 FR_TRANSPORT_PORT=9350 integration-test/test-all.sh   # beside another node on 9200/9300
EOF
}

skip_build=false
for arg in "$@"; do
  case $arg in
    --skip-build) skip_build=true ;;
    -h | --help) usage; exit 0 ;;
    *) fr_usage_error "unknown argument '$arg'" ;;
  esac
done

fr_init test-all.sh
HTTP_PORT=${FR_HTTP_PORT:-9200}
MVN=(mvn -B -ntp -Dstyle.color=never)

TIMINGS=()
SUITE_T0=$EPOCHREALTIME
secs_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
report() {
  local rc=$1
  printf '\n== timings ==\n'
  local t
  for t in "${TIMINGS[@]}"; do printf '  %s\n' "$t"; done
  printf '  %-40s %7s s\n' "total" "$(secs_since "$SUITE_T0")"
  if ((rc == 0)); then printf '== ALL PASSED ==\n'; else printf '== FAILED (exit %d) ==\n' "$rc"; fi
}
# run_step NAME CMD...: runs CMD under a "== NAME ==" heading and records its time (common.sh's step only prints)
run_step() {
  local name=$1 t0 rc=0
  shift
  printf '\n== %s ==\n' "$name"
  t0=$EPOCHREALTIME
  "$@" || rc=$?
  TIMINGS+=("$(printf '%-40s %7s s%s' "$name" "$(secs_since "$t0")" "$( ((rc == 0)) || printf '  (FAILED, exit %d)' "$rc")")")
  if ((rc != 0)); then
    printf 'test-all.sh: step "%s" failed (exit %d)\n' "$name" "$rc" >&2
    exit "$rc"
  fi
}

fr_stop_node_on_exit report

if $skip_build; then
  echo "test-all.sh: --skip-build: using the zip already in $REPO_DIR/target"
else
  run_step "mvn verify (repo root)" "${MVN[@]}" -f "$REPO_DIR/pom.xml" verify
fi

zip=$(fr_plugin_zip)

run_step "node.sh assemble" "$NODE" assemble
run_step "node.sh install $(basename "$zip")" "$NODE" install "$zip"
FR_NODE_STARTED=true # from here on, the trap stops the node whatever happens
# MiniLM beside the default model: the YAML suite binds vector fields to it (80_models.yml) and asks _embed for it
run_step "node.sh start" "$NODE" start -Efair_rescore.models=all-minilm-l6-v2-q
run_step "integration-test: unit, REST, YAML" "${MVN[@]}" -f "$IT_DIR/pom.xml" verify \
  "-Dtests.cluster=http://127.0.0.1:$HTTP_PORT" "-Dtests.rest.cluster=127.0.0.1:$HTTP_PORT"
run_step "node.sh stop" "$NODE" stop
FR_NODE_STARTED=false
run_step "reliability (real node, 20 s load)" "$IT_DIR/reliability.sh" --skip-build --load-seconds 20
