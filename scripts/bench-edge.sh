#!/usr/bin/env bash
# Benchmark (not a test) of ffem-edge on recorded frames: end-to-end frames/s and the crop and
# embed latencies (p50/p99 from ffem-edge's own statistics) over FRAMES recorded 640x480 YUYV
# frames with one fixed box per frame, one thread; and the peak RSS of the ffem-edge process
# (ru_maxrss of the child). Results go to Benchmarks/edge.md by hand, with the command line.
# Usage: scripts/bench-edge.sh    (env: MODEL=model.ffq FRAMES=100 FFEM_EDGE=binary W=workdir)
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${MODEL:-out/phase1b/model.ffq}
FRAMES=${FRAMES:-100}
EDGE=${FFEM_EDGE:-.build/release/ffem-edge}
W=${W:-/tmp/ffem-edge-bench}
[ -x "$EDGE" ] || { echo "bench-edge: no ffem-edge at $EDGE (swift build -c release first, or set FFEM_EDGE)" >&2; exit 1; }
[ -f "$MODEL" ] || { echo "bench-edge: no model at $MODEL (make demo, or set MODEL)" >&2; exit 1; }
mkdir -p "$W"
frames=$W/frames-640x480-$FRAMES.yuyv
# Recorded frames: pseudo-random bytes (the crop and the network cost the same for any content).
[ -f "$frames" ] || head -c $((640 * 480 * 2 * FRAMES)) /dev/urandom > "$frames"
cat "$frames" > /dev/null   # warm the page cache: measure ffem-edge, not the disk
python3 - "$EDGE" "$frames" "$MODEL" "$W/stderr.txt" <<'PY'
import resource, subprocess, sys
edge, frames, model, log = sys.argv[1:]
command = [edge, "--raw", frames, "--format", "YUYV", "--size", "640x480", "--model", model,
           "--box", "200,120,440,400", "--threads", "1", "--stats-interval", "0", "--output", "/dev/null"]
with open(log, "w") as err:
    status = subprocess.run(command, stderr=err).returncode
print("command:", " ".join(command))
print(open(log).read().strip())
print(f"exit status {status}; peak RSS of ffem-edge: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.1f} MB")
sys.exit(status)
PY
