#!/usr/bin/env bash
# Benchmark (not a test): training images/s of MobileFaceNet with a softmax head over 1,000 classes,
# batch 64, 2 threads, a fixed random batch, SGD momentum 0.9, in one run of this script:
#   tf-graph              TensorFlow/Keras, model.train_on_batch, no XLA   (scripts/bench/train_tf.py)
#   tf-xla                the same with jit_compile=True
#   torch-nchw            PyTorch eager, NCHW                              (scripts/bench/train_torch.py)
#   torch-channels-last   PyTorch eager, channels_last
# and, when FFEM_TRAIN_BENCH_CMD is set, FFEM's own trainer first, then the ratio FFEM/other for
# each entry. The command runs under `bash -c` with THREADS, BATCH, CLASSES, WARMUP, STEPS and
# SECONDS_PER_RUN exported, and must print `images/s: X` (and may print `params: N`, `macs: N`,
# which are then checked against the reference models).
#
#   scripts/bench-train.sh
#   FFEM_TRAIN_BENCH_CMD='.build/release/ffem-train bench --batch-size 64 --threads 2' scripts/bench-train.sh
#   ENTRIES="tf-graph torch-channels-last" scripts/bench-train.sh     # a subset
#
# Uses the virtualenv .build/bench-venv, installing tensorflow-cpu and torch into it on first use.
# PyPI's torch is the CUDA build (torch 2.15.0: about 3.3 GB of wheels with its nvidia-* and triton
# dependencies, 4.5 GB installed; it ran here as a CPU build); the CPU-only wheel index is not reachable.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/bench-venv
py=$venv/bin/python
export THREADS=${THREADS:-2} BATCH=${BATCH:-64} CLASSES=${CLASSES:-1000}
export WARMUP=${WARMUP:-3} STEPS=${STEPS:-10} SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
export OMP_NUM_THREADS=$THREADS
entries=${ENTRIES:-tf-graph tf-xla torch-nchw torch-channels-last}

[ -x "$py" ] || python3 -m venv "$venv"
"$py" -c "import tensorflow" 2>/dev/null || "$venv/bin/pip" install --quiet tensorflow-cpu
"$py" -c "import torch" 2>/dev/null || "$venv/bin/pip" install --quiet torch

common=(--batch "$BATCH" --classes "$CLASSES" --threads "$THREADS"
        --warmup "$WARMUP" --steps "$STEPS" --seconds "$SECONDS_PER_RUN")
entry_command() {
  case $1 in
    tf-graph) echo "$py scripts/bench/train_tf.py --jit-compile off" ;;
    tf-xla) echo "$py scripts/bench/train_tf.py --jit-compile on" ;;
    torch-nchw) echo "$py scripts/bench/train_torch.py --memory-format nchw" ;;
    torch-channels-last) echo "$py scripts/bench/train_torch.py --memory-format channels_last" ;;
    *) echo "unknown entry $1" >&2; return 1 ;;
  esac
}

field() { sed -n "s/^$1: //p" <<<"$2" | head -1; }
declare -A rate params macs
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; commit $(git rev-parse --short HEAD);" \
     "$(date -u '+%Y-%m-%d %H:%M UTC')"
echo "batch $BATCH, $CLASSES classes, $THREADS threads, $WARMUP warm-up steps, then >= $STEPS steps and >= $SECONDS_PER_RUN s"

run() { # name, command...
  local name=$1 out
  shift
  echo
  echo "== $name (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  if ! out=$("$@" 2>"$log"); then
    cat "$log" >&2
    echo "$name failed" >&2
    exit 1
  fi
  sed 's/^/  /' <<<"$out"
  rate[$name]=$(field 'images\/s' "$out" | awk '{ print $1 }')
  params[$name]=$(field params "$out")
  macs[$name]=$(field macs "$out")
  if [ -z "${rate[$name]}" ]; then echo "$name printed no 'images/s:' line" >&2; exit 1; fi
}

names=()
if [ -n "${FFEM_TRAIN_BENCH_CMD:-}" ]; then
  run ffem bash -c "$FFEM_TRAIN_BENCH_CMD"
  names+=(ffem)
fi
for e in $entries; do
  read -r -a cmd <<<"$(entry_command "$e")"
  run "$e" "${cmd[@]}" "${common[@]}"
  names+=("$e")
done

echo
echo "== summary: training images/s, MobileFaceNet + softmax($CLASSES), batch $BATCH, $THREADS threads"
for n in "${names[@]}"; do
  printf '  %-22s %8s images/s   params %s, macs %s\n' "$n" "${rate[$n]}" "${params[$n]:--}" "${macs[$n]:--}"
done
distinct=$(for n in "${names[@]}"; do [ -n "${params[$n]}" ] && echo "${params[$n]} ${macs[$n]}"; done | sort -u | wc -l)
if [ "$distinct" -eq 1 ]; then echo "  params and macs agree across entries"; else echo "  WARNING: params/macs differ across entries"; fi

best() { # prefix → name of the fastest entry with that prefix
  local b="" n
  for n in "${names[@]}"; do
    [[ $n == $1* ]] || continue
    if [ -z "$b" ] || awk -v a="${rate[$n]}" -v c="${rate[$b]}" 'BEGIN { exit !(a > c) }'; then b=$n; fi
  done
  echo "$b"
}
if [ -n "${rate[ffem]:-}" ]; then
  for n in "${names[@]}"; do
    [ "$n" = ffem ] && continue
    awk -v f="${rate[ffem]}" -v o="${rate[$n]}" -v n="$n" 'BEGIN { printf "  ffem / %-40s %6.2fx\n", n, f / o }'
  done
  for prefix in tf torch; do
    b=$(best $prefix)
    if [ -n "$b" ]; then
      awk -v f="${rate[ffem]}" -v o="${rate[$b]}" -v n="best $prefix ($b)" \
        'BEGIN { printf "  ffem / %-40s %6.2fx\n", n, f / o }'
    fi
  done
fi
