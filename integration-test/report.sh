#!/usr/bin/env bash
# The evaluation report in one command: NDCG, shop exposure and latency under BM25 and every quota mode. See --help.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
FR_SCRIPT=report.sh

# The options of org.fairrescore.eval.EvalReport this script hands on (ScriptHelpTests checks that they are the ones
# EvalReport parses): those that take a value, then the flags.
EVAL_VALUE_OPTIONS=(--out --seeds --first-seed --products --esci-examples --esci-products --esci-locale --esci-split
  --esci-gains --wands --wands-shop --wands-subset --max-queries --window --k --fields --semantic-weight --max-per-shop
  --cap-window --max-share --share-min-prefix --protected-share --alpha --repeat --configs --replay-searches
  --replay-checkpoint --replay-catalogs --replay-sync-intervals --replay-rate)
EVAL_FLAG_OPTIONS=(--esci-large --on-the-fly --keep-indices --no-real-data --no-replay --replay-only --sweep
  --no-diversity)
# The real-data section compares both English models: a node this script starts loads MiniLM beside the default.
readonly NODE_SETTINGS=(-Efair_rescore.models=all-minilm-l6-v2-q)

usage() {
  cat <<EOF
Usage: integration-test/report.sh [--skip-build] [EvalReport options] [BASE_URL]

The evaluation report in one command, from a fresh checkout:
  1. builds the plugin zip (mvn package at the repo root, tests skipped; --skip-build reuses target/*.zip),
  2. reuses this checkout's running node if its installed plugin is the zip just built; otherwise assembles a node
     (node.sh assemble), installs the zip and starts it, and stops it again at the end (also on failure),
  3. runs org.fairrescore.eval.EvalReport: indexes the catalogs with a progress bar, runs the judged queries under
     BM25, fair_semantic without a quota and each quota mode (cap, share, fair_topk), then the real-data section
     (the WANDS subset in ../shared/data with its human labels: BM25 against each English model's defaults and a
     weight sweep, paired bootstrap intervals), each section with paired statistics (bootstrap interval, sign test,
     the queries that got worse) and strata (query strata, shop tiers, traffic-weighted beside unweighted), with
     --sweep the trade-off sweep on the WANDS subset, then the replay (fairness over time: a Zipf stream of 5,000
     searches per configuration over the WANDS subset and one seeded catalog, under cap alone and cap + the amortized
     exposure mode at strengths 0.3 / 0.6 / 1.0 and target uniform), and writes
     integration-test/target/report/index.html, report.md and the PNG charts; prints the summary tables. A node it
     starts loads MiniLM beside the default model (-Efair_rescore.models=all-minilm-l6-v2-q); a reused node must too,
     or use --no-real-data.

Options of this script:
  --skip-build            reuse the zip already in target/
  -h, --help              this help
Every other option is EvalReport's, handed on unchanged (paths made absolute); an option EvalReport does not know
is refused here, before anything is built:
  catalogs (default: the seeded marketplace, 4 consecutive seeds from the demo's, 8 judged queries each)
    --seeds N  --first-seed S  --products N
    --esci-examples FILE --esci-products FILE  [--esci-locale us|es|jp|all] [--esci-split test|train|all]
      [--esci-large] [--esci-gains E=1,S=0.1,C=0.01,I=0]      the public ESCI files (shop := product_brand)
    --wands DIR  [--wands-shop COLUMN|features:KEY]            the public WANDS dataset folder
    --max-queries N                                            ESCI, WANDS: at most this many queries (default 50)
    --wands-subset DIR       the WANDS subset of the real-data section and the replay (default
                             ../shared/data/wands-subset when it exists)
    --no-real-data           leave the real-data section out (the replay still uses the WANDS subset)
  run
    --window 100 --k 10 --fields title,description --semantic-weight W (default: the index default, what a search
    naming no weight gets) --max-per-shop 2 --cap-window 10
    --max-share 0.35 --share-min-prefix 5 --protected-share 0.5 --alpha 0.1 --repeat 1
    --on-the-fly             no stored vectors: the rescorer embeds each window per search (use a small window and
                             title only, e.g. --window 50 --fields title)
    --configs bm25,semantic,cap,share,fair_topk   --keep-indices
  replay (fairness over time; needs only the node's default model)
    --replay-only            run only the replay (no seeded or real-data section): report.md, index.html, the replay's
                             PNG charts and replay-checkpoints.csv
    --no-replay              leave the replay out
    --replay-searches N      searches per configuration (default 5000)
    --replay-checkpoint N    figures every N searches (default 250)
    --replay-catalogs N      seeded catalogs replayed besides the WANDS subset (default 1; 0: the WANDS subset only)
    --replay-sync-intervals 5s,1s
                             one pass of every configuration per interval (default: the node's
                             fair_rescore.exposure.sync_interval, 5s unless set)
    --replay-rate R          searches per second the stream stands for (default 100): a sync interval is R x the
                             interval searches of feedback delay (the node's sync timer paced at R searches/s, or,
                             where that timer does not run, a sync triggered after every R x interval searches)
  sweep (the trade-off curve; WANDS subset, human labels)
    --sweep                  also run a grid of semantic_weight (0, 0.5, 0.8, 1) x quota strength per mode (none; cap
                             max_per_shop 1/2/3 per 10; share max_share 0.2/0.3/0.5; fair_topk protected_share
                             0.2/0.5/0.8; MMR diversity.lambda 0.5/0.7/0.9 with mode none): 52 settings x the
                             subset's queries, each applied with PUT _settings; NDCG@10
                             against the largest shop's and the long tail's exposure share, Pareto frontiers and
                             defaults marked, the frontier's _settings JSON to paste (adds ~15 s)
  diversity (on by default; seeded catalogs and the WANDS subset, on the indices their sections loaded)
    --no-diversity           leave out the diversity section: ILS@10, distinct categories@10 and the near-duplicate
                             rate@10 (cosine >= 0.95), with NDCG@10 and paired bootstrap intervals, for the default
                             fair_semantic, MMR lambda 0.8 and 0.7, near duplicates alone and cap + group minimums +
                             MMR + near duplicates, all as clause overrides
  output
    --out DIR                write the report there (default integration-test/target/report)
  BASE_URL                   evaluate against another node (http://host:port) instead of this checkout's
  (the javadoc of integration-test/src/main/java/org/fairrescore/eval/EvalReport.java says more)

Environment:
$(fr_help_node_env 9200 9300)
$(fr_help_jdk)

Takes about 80 s here with --skip-build (78 s on 2 cores) without the replay (--no-replay); the replay adds about
10.5 minutes (629 s with --replay-only on these 2 shared cores: indexing ~2 min, 50,000 searches paced at 100/s, two
passes of ~5 min; each extra --replay-catalogs or --replay-sync-intervals pass adds ~5 minutes); add ~1 min for the
build, and ~1 min more when it has to start a node. Measured 2026-12-06 with --skip-build --no-replay --sweep: 4 min
45 s in all (node assembled and started included), of which the evaluation 210 s and the sweep's searches 9 s (it
searches the real-data section's index; with --no-real-data it loads that index first, ~1 min).

Example:
  integration-test/report.sh --skip-build
  integration-test/report.sh --skip-build --replay-only --replay-sync-intervals 5s,1s
  integration-test/report.sh --seeds 2 --window 30 --repeat 3
  integration-test/report.sh --wands path/to/WANDS/dataset --wands-shop features:manufacturer --max-queries 50
EOF
}

# EvalReport options are handed on as they are, file arguments made absolute (the tool runs in the repo root, the
# caller may not).
readonly CALLER_PWD=$PWD
skip_build=false
eval_args=()
out_given=false
while [[ $# -gt 0 ]]; do
  a=$1
  case $a in
    -h | --help) usage; exit 0 ;;
    --skip-build) skip_build=true; shift; continue ;;
    http://* | https://*) ;;
    *)
      if [[ " ${EVAL_FLAG_OPTIONS[*]} " == *" $a "* ]]; then
        :
      elif [[ " ${EVAL_VALUE_OPTIONS[*]} " == *" $a "* ]]; then
        [[ $# -ge 2 ]] || fr_usage_error "$a needs a value"
        [[ $a != --out ]] || out_given=true
        eval_args+=("$a")
        case $a in
          --out | --esci-examples | --esci-products | --wands | --wands-subset) [[ $2 == /* ]] && a=$2 || a=$CALLER_PWD/$2 ;;
          *) a=$2 ;;
        esac
        shift
      else
        fr_usage_error "unknown argument '$a'"
      fi
      ;;
  esac
  eval_args+=("$a")
  shift
done

fr_init report.sh
command -v unzip >/dev/null || die "unzip is not on PATH"
$out_given || eval_args=(--out "$IT_DIR/target/report" "${eval_args[@]}")
MVN=(mvn -q -B -Dstyle.color=never)
cd "$REPO_DIR"

if $skip_build; then
  step "--skip-build: using the zip already in target/"
else
  step "building the plugin (mvn package, tests skipped)"
  "${MVN[@]}" package -DskipTests || die "the plugin build failed"
fi
zip=$(fr_plugin_zip)

# The installed plugin is current when its jar is byte-identical to the one in the zip.
plugin_current() {
  local home jar installed
  home=$("$NODE" home)
  jar=$(unzip -Z1 "$zip" | grep -E '^fair-rescore-[^/]*\.jar$' | head -n 1) || return 1
  installed=$(find "$home/plugins" -maxdepth 2 -name "$jar" -print -quit 2>/dev/null)
  [[ -n $installed ]] || return 1
  [[ $(unzip -p "$zip" "$jar" | sha256sum | cut -d' ' -f1) == $(sha256sum "$installed" | cut -d' ' -f1) ]]
}

fr_stop_node_on_exit

if "$NODE" status >/dev/null 2>&1 && plugin_current; then
  step "reusing the running node: its plugin is $(basename "$zip") as built (it stays running)"
else
  if "$NODE" status >/dev/null 2>&1; then
    step "the running node has another build of the plugin: stopping it to install $(basename "$zip")"
    "$NODE" stop
  fi
  step "assembling the node"
  "$NODE" assemble
  step "installing $(basename "$zip")"
  "$NODE" install "$zip"
  FR_NODE_STARTED=true # from here on the trap stops the node, whatever happens
  step "starting the node"
  "$NODE" start "${NODE_SETTINGS[@]}"
fi

step "compiling the evaluation (integration-test/)"
fr_build_tools

step "running the evaluation"
fr_java "$FR_TOOLS_CLASSPATH" org.fairrescore.eval.EvalReport "${eval_args[@]}" ||
  die "the evaluation failed (node logs: integration-test/node.sh logs)"
