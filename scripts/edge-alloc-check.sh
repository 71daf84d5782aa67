#!/usr/bin/env bash
# No allocation per frame, on the release binary as deployed: counts every malloc/calloc/realloc/
# memalign/posix_memalign/aligned_alloc call of ffem-edge (an LD_PRELOAD forwarder to glibc's
# __libc_* entry points, printing the total at exit) over 1, 2 and 3 passes of the same recorded
# 640x480 YUYV frames fed through stdin, with two fixed boxes (one clamped). The totals must not
# grow with the frames: at most SLACK more calls per extra pass (the final report sorts larger
# latency windows), against 2 crops + 2 embeddings + 2 lines per frame.
# Usage: scripts/edge-alloc-check.sh   (env: FFEM_EDGE=binary MODEL=model.ffq FRAMES=100 SLACK=50)
set -euo pipefail
cd "$(dirname "$0")/.."
EDGE=${FFEM_EDGE:-.build/release/ffem-edge}
MODEL=${MODEL:-Tests/Fixtures/golden/tiny-model.ffq}
FRAMES=${FRAMES:-100}
SLACK=${SLACK:-50}
W=${W:-/tmp/ffem-edge-alloc}
[ -x "$EDGE" ] || { echo "edge-alloc-check: no ffem-edge at $EDGE (swift build -c release first)" >&2; exit 1; }
mkdir -p "$W"
cat > "$W/count.c" <<'C'
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
extern void *__libc_malloc(size_t); extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t); extern void *__libc_memalign(size_t, size_t);
static unsigned long calls;
#define COUNT __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED)
void *malloc(size_t n) { COUNT; return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { COUNT; return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { COUNT; return __libc_realloc(p, n); }
void *memalign(size_t a, size_t n) { COUNT; return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { COUNT; return __libc_memalign(a, n); }
int posix_memalign(void **p, size_t a, size_t n) { COUNT; void *r = __libc_memalign(a, n); if (!r) return ENOMEM; *p = r; return 0; }
__attribute__((destructor)) static void report(void) {
  char text[64]; int k = snprintf(text, sizeof text, "ALLOCATION-CALLS %lu\n", calls); write(2, text, (size_t)k);
}
C
gcc -O2 -shared -fPIC -o "$W/count.so" "$W/count.c"
frames=$W/frames.yuyv
[ -f "$frames" ] || head -c $((640 * 480 * 2 * FRAMES)) /dev/urandom > "$frames"
totals=()
for passes in 1 2 3; do
  total=$(for _ in $(seq $passes); do cat "$frames"; done | LD_PRELOAD=$W/count.so "$EDGE" --raw - --format YUYV \
    --size 640x480 --model "$MODEL" --box 200,120,440,400 --box -20,-20,100,100 --stats-interval 0 --output /dev/null \
    2>&1 | sed -n 's/^ALLOCATION-CALLS //p')
  echo "edge-alloc-check: $((passes * FRAMES)) frames: $total allocation calls"
  totals+=("$total")
done
growth=$(( totals[2] - totals[0] ))
if [ "$growth" -le $((2 * SLACK)) ]; then
  echo "edge-alloc-check: OK ($growth more calls for $((2 * FRAMES)) more frames)"
else
  echo "edge-alloc-check: FAILED ($growth more calls for $((2 * FRAMES)) more frames)" >&2; exit 1
fi
