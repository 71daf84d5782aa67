#!/usr/bin/env bash
# FFEM — the ARM test matrix for CFFEMKernels (DESIGN.md §8, issue 5).
#
# Cross-compiles every C source of Sources/CFFEMKernels together with the C harness in Tests/ARM
# for aarch64 (Debian's gcc and the Swift toolchain's clang) and armv7 hard-float NEON, then runs
# the harness under qemu-user on the CPU models that stand for the boards:
#   cortex-a53  Pi 3 / Zero 2 W, ARMv8.0 NEON, no dot product
#   cortex-a72  Pi 4, ARMv8.0 NEON, no dot product
#   cortex-a76  Pi 5, ARMv8.2 NEON with SDOT
#   max         every feature qemu knows
#   cortex-a7, cortex-a15  32-bit Pi OS (armv7 NEON; Pi 2 and the 32-bit userland of later Pis)
# Each run checks every kernel the dispatcher offers on that CPU against the scalar kernel, bit for
# bit, and checks that the selected kernel set is the expected one. On cortex-a72 the harness is run
# again with FFEM_ISA=neondot (the request must be refused, no SDOT may run) and one SDOT kernel is
# called directly to show that qemu really raises SIGILL for it there.
#
# Usage: scripts/arm/test-arm.sh            (build dir: $FFEM_ARM_BUILD, default /tmp/ffem-arm;
#        FFEM_ARM_CONFIGS="gcc-aarch64 clang-aarch64 gcc-armv7 clang-armv7" to run a subset;
#        FFEM_TEST_SEED=<n> to draw other random cases than the default seed)
# Needs: gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf libc6-dev-arm64-cross libc6-dev-armhf-cross
#        qemu-user-static, and /opt/swift/usr/bin/clang (or $CLANG). No binfmt registration is used.
# Prints one line per run and, last, exactly "N passed, M failed". Exit status 0 iff M = 0.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KSRC=$ROOT/Sources/CFFEMKernels
TSRC=$ROOT/Tests/ARM
B=${FFEM_ARM_BUILD:-/tmp/ffem-arm}
CLANG=${CLANG:-/opt/swift/usr/bin/clang}
CONFIGS=${FFEM_ARM_CONFIGS:-gcc-aarch64 clang-aarch64 gcc-armv7 clang-armv7}
A64_LIBS=/usr/aarch64-linux-gnu
A32_LIBS=/usr/arm-linux-gnueabihf

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; }

mapfile -t KERNEL_SOURCES < <(cd "$KSRC" && find . -name '*.c' | LC_ALL=C sort)
mapfile -t HARNESS_SOURCES < <(cd "$TSRC" && find . -name '*.c' | LC_ALL=C sort)
COMMON_FLAGS=(-O2 -g0 -std=gnu17 -Wall -Wextra -I"$KSRC/include" -I"$TSRC")

# build NAME COMPILER... : compiles every source to its own object (like SwiftPM), then links.
build() {
  local name=$1; shift
  local dir=$B/$name
  rm -rf "$dir"; mkdir -p "$dir"
  local objects=() src obj log=$dir/build.log
  for src in "${KERNEL_SOURCES[@]}"; do
    obj=$dir/k_$(echo "${src#./}" | tr '/' '_').o
    "$@" "${COMMON_FLAGS[@]}" -c "$KSRC/$src" -o "$obj" >>"$log" 2>&1 || { cat "$log"; return 1; }
    objects+=("$obj")
  done
  for src in "${HARNESS_SOURCES[@]}"; do
    obj=$dir/t_$(echo "${src#./}" | tr '/' '_').o
    "$@" "${COMMON_FLAGS[@]}" -c "$TSRC/$src" -o "$obj" >>"$log" 2>&1 || { cat "$log"; return 1; }
    objects+=("$obj")
  done
  "$@" -o "$dir/ffem-arm-test" "${objects[@]}" -lm >>"$log" 2>&1 || { cat "$log"; return 1; }
  if [ -s "$log" ]; then sed "s/^/  [$name] /" "$log"; fi
  return 0
}

# run LABEL EXPECT ENV... -- QEMU... : runs the harness; it checks bit-exactness and the selected set.
run() {
  local label=$1 expect=$2; shift 2
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  local out rc log
  out=$(env "${envs[@]}" "$@" --expect "$expect" 2>&1); rc=$?
  log=$B/logs/$(printf '%s' "$label" | tr ' =/' '__-').log
  printf '%s\n' "$out" >"$log"
  # Per kernel: cases and mismatches; any mismatch or failed expectation in full (the rest: $log).
  printf '%s\n' "$out" | grep -E '^(kernel |MISMATCH|unknown)' | sed "s/^/  [$label] /"
  local summary
  summary="$(printf '%s\n' "$out" | grep -E '^result:' | sed 's/^result: //') | $(printf '%s\n' "$out" | grep -E '^selected:')"
  if [ $rc -eq 0 ]; then pass "$label: $summary"; else fail "$label (rc=$rc, log $log): $summary"; fi
}

# sigill LABEL QEMU... : the harness calls one SDOT kernel directly; qemu must kill it with SIGILL.
sigill() {
  local label=$1; shift
  local rc
  "$@" --call-neondot-directly >/dev/null 2>&1; rc=$?
  if [ $rc -eq 132 ]; then pass "$label: SDOT raises SIGILL (rc 132)"
  else fail "$label: expected SIGILL (rc 132), got rc=$rc"; fi
}

# Preflight: name the Debian package of any missing tool instead of failing later.
missing=0
for tool in aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu arm-linux-gnueabihf-gcc:gcc-arm-linux-gnueabihf \
            qemu-aarch64-static:qemu-user-static qemu-arm-static:qemu-user-static; do
  command -v "${tool%%:*}" >/dev/null || { echo "missing ${tool%%:*} (apt-get install ${tool#*:})"; missing=1; }
done
[ -x "$CLANG" ] || { echo "missing $CLANG (the Swift toolchain's clang; set CLANG=...)"; missing=1; }
for dir in $A64_LIBS/lib $A32_LIBS/lib; do
  [ -d "$dir" ] || { echo "missing $dir (libc6-dev-arm64-cross / libc6-dev-armhf-cross)"; missing=1; }
done
if [ $missing -ne 0 ]; then echo "0 passed, 1 failed"; exit 1; fi

mkdir -p "$B/logs"
declare -A BUILT=()
for cfg in $CONFIGS; do
  case $cfg in
    gcc-aarch64)   cc=(aarch64-linux-gnu-gcc) ;;
    clang-aarch64) cc=("$CLANG" --target=aarch64-linux-gnu) ;;   # no --sysroot: see rigs/arm/README.md
    gcc-armv7)     cc=(arm-linux-gnueabihf-gcc -march=armv7-a -mfpu=neon-vfpv4 -mfloat-abi=hard) ;;
    clang-armv7)   cc=("$CLANG" --target=arm-linux-gnueabihf -march=armv7-a -mfpu=neon-vfpv4 -mfloat-abi=hard) ;;
    *)             fail "unknown configuration $cfg"; continue ;;
  esac
  if build "$cfg" "${cc[@]}"; then pass "build $cfg"; BUILT[$cfg]=1; else fail "build $cfg"; fi
done

for cfg in gcc-aarch64 clang-aarch64; do
  [ -n "${BUILT[$cfg]:-}" ] || continue
  exe=$B/$cfg/ffem-arm-test
  for cpu in cortex-a53 cortex-a72 cortex-a76 max; do
    run "$cfg $cpu" "$cpu" QEMU_LD_PREFIX=$A64_LIBS -- qemu-aarch64-static -cpu "$cpu" "$exe"
  done
  run "$cfg cortex-a72 FFEM_ISA=neondot" cortex-a72-forced-neondot \
    QEMU_LD_PREFIX=$A64_LIBS FFEM_ISA=neondot -- qemu-aarch64-static -cpu cortex-a72 "$exe"
  run "$cfg cortex-a76 FFEM_ISA=neon" cortex-a76-forced-neon \
    QEMU_LD_PREFIX=$A64_LIBS FFEM_ISA=neon -- qemu-aarch64-static -cpu cortex-a76 "$exe"
  run "$cfg cortex-a76 FFEM_ISA=scalar" forced-scalar \
    QEMU_LD_PREFIX=$A64_LIBS FFEM_ISA=scalar -- qemu-aarch64-static -cpu cortex-a76 "$exe"
  sigill "$cfg cortex-a72" env QEMU_LD_PREFIX=$A64_LIBS qemu-aarch64-static -cpu cortex-a72 "$exe"
done

for cfg in gcc-armv7 clang-armv7; do
  [ -n "${BUILT[$cfg]:-}" ] || continue
  exe=$B/$cfg/ffem-arm-test
  for cpu in cortex-a7 cortex-a15; do
    run "$cfg $cpu" armv7 -- qemu-arm-static -cpu "$cpu" -L $A32_LIBS "$exe"
  done
  run "$cfg cortex-a15 FFEM_ISA=neondot" armv7-forced-neondot FFEM_ISA=neondot -- \
    qemu-arm-static -cpu cortex-a15 -L $A32_LIBS "$exe"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
