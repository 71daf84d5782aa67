#!/usr/bin/env bash
# The Embedded guard (DESIGN.md §2): compiles every Embedded-safe module as Embedded Swift for
# aarch64-none-none-elf (object files), so nothing on the edge side can drift out of the Embedded
# subset unnoticed. Needs the arm64 cross headers (make deps installs them).
# Usage: scripts/embedded-check.sh [scratch-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${1:-.build-embedded}
triple=aarch64-none-none-elf
modules=(CFFEMKernels CFFEMIO FFEMCore FFEMCLI FFEMImage FFEMRuntime FFEMCapture)
[ -d Sources/ffem-edge ] && modules+=(ffem-edge)
flags=(-c release --triple "$triple"
       -Xswiftc -enable-experimental-feature -Xswiftc Embedded -Xswiftc -wmo
       -Xcc -isystem -Xcc /usr/aarch64-linux-gnu/include
       -Xcc -idirafter -Xcc /usr/include/aarch64-linux-gnu
       -Xcc -idirafter -Xcc /usr/include)
for module in "${modules[@]}"; do
  if ! swift build --scratch-path "$scratch" "${flags[@]}" --target "$module" > "$scratch.log" 2>&1; then
    grep -E "error" "$scratch.log" | sort -u | head -20 >&2
    echo "embedded-check: $module does not build as Embedded Swift for $triple" >&2
    exit 1
  fi
  echo "embedded-check: $module OK ($triple)"
done
objects=$(find "$scratch/$triple/release" -name '*.o' | wc -l)
echo "embedded-check: ${#modules[@]} modules, $objects object files for $triple"
