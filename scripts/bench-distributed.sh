#!/bin/bash
# Data-parallel scaling of ffem-train on this machine (Benchmarks/distributed.md):
# MobileFaceNet + softmax over CLASSES classes, global batch BATCH, STEPS timed steps, run as
#   1 process × 2 threads, 1 process × 1 thread, and mpirun -np 2 × 1 thread (shared memory).
# Prints each run's images/s and, for 2 ranks, the bytes all-reduced per step and the all-reduce time.
set -euo pipefail
BIN=${BIN:-.build/release}
BATCH=${BATCH:-64}
CLASSES=${CLASSES:-1000}
STEPS=${STEPS:-5}
MPIRUN=(mpirun --allow-run-as-root --oversubscribe --mca btl self,vader --mca btl_vader_single_copy_mechanism none)
bench=("$BIN/ffem-train" bench --arch mobilefacenet --classes "$CLASSES" --batch-size "$BATCH" --steps "$STEPS")
echo "== $(date -u +%FT%TZ) commit $(git rev-parse --short HEAD) load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== 1 rank × 2 threads: ${bench[*]} --threads 2"
"${bench[@]}" --threads 2
echo "== 1 rank × 1 thread: ${bench[*]} --threads 1"
"${bench[@]}" --threads 1
echo "== 2 ranks × 1 thread: ${MPIRUN[*]} -np 2 ${bench[*]} --threads 1"
"${MPIRUN[@]}" -np 2 "${bench[@]}" --threads 1 2>/dev/null
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
