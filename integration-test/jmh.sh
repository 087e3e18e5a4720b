#!/usr/bin/env bash
# JMH benchmark of the quota reorderers (pure Java, no node). See --help.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
FR_SCRIPT=jmh.sh

usage() {
  cat <<EOF
Usage: integration-test/jmh.sh [--bench REGEX] [JMH options] [-- JMH arguments]

JMH benchmarks of the quota placement (pure Java, no node), in src/jmh/java/org/fairrescore/fairness/:
  ReorderBenchmark           cap, share and fair_topk alone reordering 500 hits from 100 shops, three shop mixes
                             (parameter window: uniform, zipf, tight)
  CompositeReorderBenchmark  cap + share + two-group minimums, with MMR over 20 positions or the whole window
                             (rulesAndMmr) and without (rulesOnly), 500 hits from 100 shops, uniform or zipf shops
It compiles the plugin's test classes (mvn test-compile, tests skipped), then runs org.openjdk.jmh.Main in one forked
JVM and prints JMH's table (average time per window unless -bm says otherwise).

Options:
  --bench REGEX       the benchmarks to run, a JMH regex (default ReorderBenchmark: both classes), e.g.
                      --bench CompositeReorderBenchmark or --bench 'Composite.*rulesAndMmr'
  -h, --help          this help
Every other argument goes to JMH unchanged. JMH's options start with a single dash, so another argument starting with
-- is refused here; after a lone -- everything goes to JMH as it is (e.g. -- -h prints JMH's own help). Common ones:
  -f N                forks (default 1)           -wi N / -i N   warm-up / measurement iterations (default 3 / 5)
  -w 1s / -r 1s       time per iteration          -p name=v,...  benchmark parameters (e.g. -p window=zipf)
  -bm sample -tu us   median and percentiles      -rf json -rff FILE   write the results to a file
  -prof gc            allocation profile

Environment:
$(fr_help_jdk)

Takes about 2.5 minutes here with JMH's defaults (17 benchmark points x 8 one-second iterations in one fork), after
the test-compile.

Example:
  integration-test/jmh.sh
  integration-test/jmh.sh -p window=tight -wi 2 -i 3
  integration-test/jmh.sh --bench CompositeReorderBenchmark -bm sample -tu us -wi 2 -i 3 -r 2s
EOF
}

jmh_args=()
bench=ReorderBenchmark
while [[ $# -gt 0 ]]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --bench)
      [[ $# -ge 2 && -n $2 ]] || fr_usage_error "--bench needs a benchmark regex"
      bench=$2; shift ;;
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
  org.openjdk.jmh.Main "$bench" "${jmh_args[@]}"
