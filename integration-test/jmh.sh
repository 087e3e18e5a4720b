#!/usr/bin/env bash
# JMH benchmark of the quota reorderers (pure Java, no node). See --help.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
FR_SCRIPT=jmh.sh

usage() {
  cat <<EOF
Usage: integration-test/jmh.sh [JMH options] [-- JMH arguments]

JMH benchmark of the quota reorderers (src/jmh/java/org/fairrescore/fairness/ReorderBenchmark.java): cap, share
and fair_topk reordering 500 hits from 100 shops, for three shop mixes (parameter window: uniform, zipf, tight).
Pure Java in one forked JVM: no node is started. It compiles the plugin's test classes (mvn test-compile, tests skipped),
then runs org.openjdk.jmh.Main ReorderBenchmark and prints JMH's table (average time per reorder).

Options:
  -h, --help          this help
Every other argument goes to JMH unchanged. JMH's options start with a single dash, so an argument starting with --
is refused here; after a lone -- everything goes to JMH as it is (e.g. -- -h prints JMH's own help). Common ones:
  -f N                forks (default 1)           -wi N / -i N   warm-up / measurement iterations (default 3 / 5)
  -w 1s / -r 1s       time per iteration          -p name=v,...  benchmark parameters (e.g. -p window=zipf)
  -prof gc            allocation profile          -rf json -rff FILE   write the results to a file

Environment:
$(fr_help_jdk)

Takes about 2 minutes here: 3 benchmarks x 3 distributions x 8 one-second iterations in one fork, after the
test-compile.

Example:
  integration-test/jmh.sh
  integration-test/jmh.sh -p window=tight -wi 2 -i 3
EOF
}

jmh_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --) shift; jmh_args+=("$@"); break ;;
    --*) fr_usage_error "unknown argument '$1' (JMH's options start with one dash)" ;;
    *) jmh_args+=("$1") ;;
  esac
  shift
done

fr_init jmh.sh
cd "$REPO_DIR"
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -DincludeScope=test
fr_java "$REPO_DIR/target/test-classes:$REPO_DIR/target/classes:$(<target/test-classpath.txt)" \
  org.openjdk.jmh.Main ReorderBenchmark "${jmh_args[@]}"
