#!/usr/bin/env bash
# Checks the GPU build of the plugin on a real node (device: cuda, and the CPU fallback). See --help.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
FR_SCRIPT=cuda-check.sh

usage() {
  cat <<EOF
Usage: integration-test/cuda-check.sh [--skip-build]

Checks the GPU build of the plugin on a real node:
  1. builds the zip with ONNX Runtime's GPU build (mvn package -Pcuda into target-cuda/; the onnxruntime_gpu jar is
     about 640 MB, so this is not part of test-all.sh),
  2. assembles a node under target-cuda/node and installs that zip,
  3. starts it with fair_rescore.inference.device: cuda. With a usable GPU the node must start and its stats say
     device [cuda]; without one, start must fail with the message that names the setting and the fallback,
  4. starts it with device: cuda and device_fallback: cpu: the node must start, say device [cpu] for requested
     [cuda] (fallbacks.device true), and answer a fair_semantic search.
Exits 0 when every step behaves as this machine's hardware says it must. Needs curl, python3 and unzip.

Options:
  --skip-build          reuse target-cuda/fair-rescore-*.zip
  -h, --help            this help

Environment:
$(fr_help_node_env 9281 9381)
                        (the node home is always target-cuda/node)
$(fr_help_jdk)

Takes a few minutes: the -Pcuda build (the first one downloads the ~640 MB onnxruntime_gpu jar) and two node
starts of about 30 s each; not timed end to end on this machine.

Example:
  integration-test/cuda-check.sh
  integration-test/cuda-check.sh --skip-build
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

fr_init cuda-check.sh
export FR_HTTP_PORT=${FR_HTTP_PORT:-9281} FR_TRANSPORT_PORT=${FR_TRANSPORT_PORT:-9381}
BUILD=$REPO_DIR/target-cuda
export FR_NODE_HOME=$BUILD/node
URL=http://127.0.0.1:$FR_HTTP_PORT
command -v curl >/dev/null || die "curl is not on PATH"
command -v python3 >/dev/null || die "python3 is not on PATH"
command -v unzip >/dev/null || die "unzip is not on PATH"

if ! $skip_build; then
  step "building the GPU zip (mvn package -Pcuda, tests skipped) into $BUILD"
  (cd "$REPO_DIR" && mvn -q -B -ntp package -Pcuda -DskipTests -Dbuild.dir="$BUILD") || die "the -Pcuda build failed"
fi
shopt -s nullglob
zips=("$BUILD"/fair-rescore-*.zip)
shopt -u nullglob
((${#zips[@]} == 1)) || die "expected one $BUILD/fair-rescore-*.zip, found ${#zips[@]}"
unzip -l "${zips[0]}" | grep -q 'onnxruntime_gpu-' || die "${zips[0]} does not carry onnxruntime_gpu"

fr_stop_node_on_exit
"$NODE" stop >/dev/null
"$NODE" assemble
"$NODE" install "${zips[0]}"

gpu=false
if command -v nvidia-smi >/dev/null && nvidia-smi -L 2>/dev/null | grep -q '^GPU '; then
  gpu=true
fi
stats() { curl -sf "$URL/_plugins/_fair_rescore/_local/stats" | python3 -c "import json,sys; n=next(iter(json.load(sys.stdin)['nodes'].values())); print(n['model']['device'], n['model']['requested_device'], n['fallbacks']['device'])"; }

step "device: cuda (GPU here: $gpu)"
log=$FR_NODE_HOME/logs/fair-rescore-it.log
if $gpu; then
  "$NODE" start -Efair_rescore.inference.device=cuda
  FR_NODE_STARTED=true
  got=$(stats)
  [[ $got == "cuda cuda False" ]] || die "with a GPU the node runs on [$got], expected device cuda"
  "$NODE" stop
  FR_NODE_STARTED=false
else
  seen=$(cat "$log" 2>/dev/null | wc -l)
  if "$NODE" start -Efair_rescore.inference.device=cuda; then
    FR_NODE_STARTED=true
    die "the node started with device cuda and no GPU"
  fi
  fresh=$(tail -n +"$((seen + 1))" "$log") # this start's lines only
  grep -q 'fair_rescore.inference.device\] is \[cuda\] but the CUDA execution provider could not use GPU 0' <<<"$fresh" ||
    die "start failed without the message naming [fair_rescore.inference.device] (see $log)"
  grep -q 'fair_rescore.inference.device_fallback: cpu' <<<"$fresh" || die "the start failure does not name the fallback setting"
  printf 'refused as it must be: %s\n' "$(grep -o 'fair-rescore: \[fair_rescore.inference.device\][^(]*' <<<"$fresh" | head -1)"
fi

step "device: cuda, device_fallback: cpu"
"$NODE" start -Efair_rescore.inference.device=cuda -Efair_rescore.inference.device_fallback=cpu
FR_NODE_STARTED=true
got=$(stats)
if $gpu; then
  [[ $got == "cuda cuda False" ]] || die "with a GPU and a fallback the node runs on [$got], expected cuda"
else
  [[ $got == "cpu cuda True" ]] || die "without a GPU the fallback node says [$got], expected device cpu for requested cuda"
fi
curl -s -XDELETE "$URL/cuda-check" >/dev/null # an earlier run's index, if any
curl -sf -XPUT "$URL/cuda-check" -H 'Content-Type: application/json' \
  -d '{"settings":{"number_of_shards":1,"number_of_replicas":0,"index.fair_rescore.text_fields":["title"]},"mappings":{"properties":{"title":{"type":"text"}}}}' >/dev/null ||
  die "could not create the cuda-check index"
curl -sf -XPOST "$URL/cuda-check/_bulk?refresh=true" -H 'Content-Type: application/x-ndjson' \
  --data-binary $'{"index":{}}\n{"title":"shoes rack for the hall"}\n{"index":{}}\n{"title":"red running shoes"}\n' >/dev/null ||
  die "could not index the two documents"
top=$(curl -sf -XPOST "$URL/cuda-check/_search" -H 'Content-Type: application/json' \
  -d '{"query":{"match":{"title":"shoes"}},"rescore":{"window_size":10,"fair_semantic":{"query_text":"sneakers","semantic_weight":0.9}}}' |
  python3 -c "import json,sys; print(json.load(sys.stdin)['hits']['hits'][0]['_source']['title'])")
[[ $top == "red running shoes" ]] || die "the semantic search put [$top] first, expected [red running shoes]"
printf 'device %s, fair_semantic top hit for "sneakers": %s\n' "$got" "$top"
step "cuda-check: PASSED"
