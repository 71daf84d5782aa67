#!/usr/bin/env bash
# FFEM — proof under emulation that the board builds of ffem-edge give the x86 build's embeddings
# (issue 8, DESIGN.md §7–8). For every board description Targets/*.json:
#   1. builds its ffem-edge (scripts/edge/build-edge.sh: Embedded Swift, dynamic and static);
#   2. runs the dynamic binary's `ffem-edge check` under qemu-user with the board's CPU model
#      (qemu-aarch64 -cpu cortex-a72 / cortex-a76 / max, qemu-arm -cpu cortex-a15; x86_64 natively)
#      on a check set written by the host's ordinary Swift build of ffem-edge: every int8 embedding
#      must be the same bytes, under the kernels the runtime picks and under every other ISA the
#      CPU has, and the picked ISA set and GEMM kernel must be the board's expected ones;
#   3. runs the static binary on the same images and boxes as a stream and compares its JSON lines
#      (timestamps removed: they are clock readings) byte for byte with the host build's.
# qemu timings mean nothing and are not printed as speed.
#
# Images: data/orl/image_list.json with its boxes (made by `make data` when missing), every
# $FFEM_EDGE_EVERY-th entry. Model: $FFEM_EDGE_MODEL, else out/model.ffq (`make demo`), else the
# committed golden model Tests/Fixtures/golden/tiny-model.ffq (a real quantized network with every
# op kind, small enough that CI can run all 400 images on every board). Default FFEM_EDGE_EVERY: 1
# for the golden model, 10 (one image per identity) for others — a MobileFaceNet image costs about
# a second per ISA under qemu.
# Work folder: $FFEM_EDGE_WORK (default /tmp/ffem-edge-qemu); binaries: $FFEM_EDGE_OUT and
# $FFEM_EDGE_SCRATCH as in build-edge.sh. Boards: $FFEM_EDGE_TARGETS (default every
# Targets/*.json, e.g. "rpi4 armv7").
# Prints one line per run and, last, exactly "N passed, M failed". Exit status 0 iff M = 0.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
W=${FFEM_EDGE_WORK:-/tmp/ffem-edge-qemu}
HOST_SCRATCH=${FFEM_EDGE_HOST_SCRATCH:-/tmp/ffem-build-edge-host}
GOLDEN=Tests/Fixtures/golden/tiny-model.ffq
mkdir -p "$W"

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

model=${FFEM_EDGE_MODEL:-}
if [ -z "$model" ]; then
  if [ -f out/model.ffq ]; then model=out/model.ffq; else model=$GOLDEN; fi
fi
every=${FFEM_EDGE_EVERY:-$([ "$model" = "$GOLDEN" ] && echo 1 || echo 10)}
[ -f "$model" ] || { fail "model $model not found"; finish; }
if [ ! -f data/orl/image_list.json ]; then
  echo "test-edge-qemu: data/orl/image_list.json missing, running make data"
  make data >"$W/make-data.log" 2>&1 || { fail "make data (log $W/make-data.log)"; finish; }
fi

# The reference: the host's ordinary (non-Embedded) Swift build, as on the workstation.
if swift build -c release --scratch-path "$HOST_SCRATCH" --product ffem-edge >"$W/host-build.log" 2>&1; then
  pass "host build (ordinary Swift, x86_64)"
else
  fail "host build (log $W/host-build.log)"; finish
fi
host=$HOST_SCRATCH/release/ffem-edge

# The check subset: every $every-th entry of the ORL list, with its boxes.
jq --argjson every "$every" 'to_entries | to_entries | map(select(.key % $every == 0) | .value) | from_entries' \
  data/orl/image_list.json >"$W/images.json"
count=$(jq length "$W/images.json")
images=(--images "$W/images.json" --img-root-path data/orl)

# without_timestamps FILE: the JSON lines minus their "timestamp" field (a clock reading).
without_timestamps() { sed -E 's/"timestamp":[^,]*,//' "$1"; }

if "$host" check --write-check "$W/check.jsonl" "${images[@]}" --model "$model" >"$W/host-check.txt" 2>&1 &&
   "$host" "${images[@]}" --model "$model" --stats-interval 0 >"$W/host.jsonl" 2>"$W/host-stream.err"; then
  host_isa=$(sed -n 's/.*(ISA \(.*\))$/\1/p' "$W/host-check.txt")
  pass "host reference: $count ORL images, model $model, ISA $host_isa"
else
  fail "host reference (see $W/host-check.txt, $W/host-stream.err)"; finish
fi
without_timestamps "$W/host.jsonl" >"$W/host.embeddings"

# run_board FILE: build the board's binaries, then the check and the stream comparison.
run_board() {
  local board=$1 target triple qemu=() cpu expected_isa expected_gemm dir
  target=$(jq -r .target "$board")
  dir=${FFEM_EDGE_OUT:-out/edge}/$target
  if ! scripts/edge/build-edge.sh "$target" >"$W/build-$target.log" 2>&1; then
    fail "$target: build (log $W/build-$target.log)"; return
  fi
  pass "$target: build, $(grep -E 'ffem-edge +[0-9]' "$W/build-$target.log" | awk '{print $3}') bytes dynamic, $(grep -E 'ffem-edge-static' "$W/build-$target.log" | awk '{print $3}') bytes static"
  expected_isa=$(jq -r .expected_isa "$board")
  expected_gemm=$(jq -r .expected_gemm_kernel "$board")
  if [ "$(jq -r '.qemu // empty' "$board")" = "" ]; then
    cpu=native
    expected_isa=$host_isa   # the x86 set is this machine's, not a fixed one
    expected_gemm=""
  else
    cpu=$(jq -r .qemu.cpu "$board")
    qemu=(env "QEMU_LD_PREFIX=$(jq -r .qemu.ld_prefix "$board")" "$(jq -r .qemu.command "$board")" -cpu "$cpu")
  fi
  local label="$target ($cpu)"

  # The check, with the dynamic binary (the board's glibc, libv4l2 and libjpeg from multiarch).
  local log=$W/check-$target.txt rc
  "${qemu[@]}" "$dir/ffem-edge" check --check-set "$W/check.jsonl" --model "$model" >"$log" 2>&1; rc=$?
  local chosen kernels
  chosen=$(sed -n "s/^check: runtime's choice ISA \([^:]*\):.*/\1/p" "$log")
  kernels=$(sed -n 's/.*(kernels: \(.*\))$/\1/p' "$log")
  if [ $rc -ne 0 ] || ! grep -qx 'check: OK' "$log"; then
    fail "$label: ffem-edge check, dynamic: rc=$rc (log $log)"
  elif [ "$chosen" != "$expected_isa" ]; then
    fail "$label: ffem-edge check, dynamic: ISA $chosen, expected $expected_isa"
  elif [ -n "$expected_gemm" ] && [[ ", $kernels, " != *", $expected_gemm, "* ]]; then
    fail "$label: ffem-edge check, dynamic: GEMM kernel is not $expected_gemm ($kernels)"
  else
    pass "$label: ffem-edge check, dynamic: $count/$count int8 embeddings bit-exact under ISA $chosen and each ISA alone$([ -n "$expected_gemm" ] && echo ", GEMM $expected_gemm")"
  fi

  # The stream, with the static binary: the JSON lines must be the host's, byte for byte.
  log=$W/stream-$target
  if ! "${qemu[@]}" "$dir/ffem-edge-static" "${images[@]}" --model "$model" --stats-interval 0 >"$log.jsonl" 2>"$log.err"; then
    fail "$label: stream, static: failed (log $log.err)"
  elif ! without_timestamps "$log.jsonl" | cmp -s - "$W/host.embeddings"; then
    fail "$label: stream, static: JSON lines differ from the host build's (diff $log.jsonl $W/host.jsonl)"
  else
    pass "$label: stream, static: $(wc -l <"$log.jsonl") JSON lines byte-identical to the x86 host build's"
  fi
}

if [ -n "${FFEM_EDGE_TARGETS:-}" ]; then
  boards=()
  for t in $FFEM_EDGE_TARGETS; do
    found=""
    for file in Targets/*.json; do [ "$(jq -r .target "$file")" = "$t" ] && found=$file; done
    boards+=("${found:-$t}")
  done
else
  boards=(Targets/*.json)
fi
for board in "${boards[@]}"; do
  if [ -f "$board" ]; then run_board "$board"; else fail "$board: no Targets/*.json has this target"; fi
done
finish
