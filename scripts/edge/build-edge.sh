#!/usr/bin/env bash
# FFEM — builds ffem-edge for one board (issue 8): Embedded Swift objects through SwiftPM, linked by
# hand against the board's glibc, libv4l2 and libjpeg (Debian multiarch packages), once as a
# dynamic PIE and once statically.
#
# Usage: scripts/edge/build-edge.sh TARGET      TARGET = rpi4 | rpi5 | armv7 | jetson | x86_64
#        (the "target" field of a Targets/*.json board description, which holds the triples, the
#        cross compiler and the flags used here)
# Output: out/edge/<target>/ffem-edge (dynamic PIE) and out/edge/<target>/ffem-edge-static
#         (static-pie; -static on armv7), stripped; the last two lines give their sizes.
#         $FFEM_EDGE_OUT overrides out/edge.
# Scratch: /tmp/ffem-build-edge-<swift triple> ($FFEM_EDGE_SCRATCH overrides the prefix), shared by
#          the boards of one triple: rpi4, rpi5 and jetson are one ARMv8.0 binary (kernels are
#          picked at run time), so building the second one only relinks.
#
# Why by hand: SwiftPM cannot link for the freestanding *-none-none-elf triples (no crt0, wrong
# ELF machine for ld.gold), so it only compiles (`--target ffem-edge`) and the board's gcc links
# (../shared/rigs/arm/README.md §2 and §5). SwiftPM names the executable's entry point
# ffem_edge_main, hence --defsym=main=ffem_edge_main.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/scripts/edge
cd "$ROOT"

target=${1:-}
board=""
for file in Targets/*.json; do
  if [ "$(jq -r .target "$file")" = "$target" ]; then board=$file; fi
done
if [ -z "$board" ]; then
  echo "usage: $0 TARGET   (one of: $(jq -r .target Targets/*.json | tr '\n' ' '))" >&2
  exit 64
fi
field() { jq -r "$1" "$board"; }
list() { jq -r "$1 | .[]" "$board"; }

swift_triple=$(field .build.swift_triple)
linux_triple=$(field .build.linux_triple)   # the cross compiler's and the multiarch directory's name
cc=$(field .build.cc)
mapfile -t swiftpm_board_flags < <(list .build.swiftpm_flags)
mapfile -t c_board_flags < <(list .build.c_flags)
mapfile -t link_board_flags < <(list .build.link_flags)
static_link=$(field .build.static_link)   # -static-pie, or -static where the glibc lacks rcrt1.o (armhf)
scratch=${FFEM_EDGE_SCRATCH:-/tmp/ffem-build-edge}-$swift_triple
out=${FFEM_EDGE_OUT:-$ROOT/out/edge}/$target
multiarch_lib=/usr/lib/$linux_triple
mkdir -p "$out"

for need in "$cc" jq pkg-config; do
  command -v "$need" >/dev/null || { echo "build-edge: missing $need (make deps installs it)" >&2; exit 1; }
done
for lib in libv4l2.so libjpeg.so libv4l2.a libv4lconvert.a libjpeg.a; do
  [ -e "$multiarch_lib/$lib" ] || { echo "build-edge: missing $multiarch_lib/$lib (make deps: libv4l-dev and libjpeg62-turbo-dev for $linux_triple)" >&2; exit 1; }
done

# The modules of ffem-edge (Package.swift), in link order, with their source folders.
modules=(ffem-edge FFEMCapture FFEMRuntime FFEMImage FFEMCLI FFEMCore CFFEMIO CFFEMKernels)

# 1. Compile (SwiftPM's release -O; -Osize saves ~50 KB but miscompiles FFQReader's
#    OperationCode.usage in Embedded mode, see Targets/README.md). Per-function sections let the
#    link drop what ffem-edge never calls (half the dynamic binary). -fPIE: the freestanding
#    triples default to non-PIC code, which cannot go into a PIE. Headers: the board's glibc
#    first (cross package), then the multiarch folder (jconfig.h, asm/) and /usr/include last for
#    libv4l2.h and jpeglib.h, which pkg-config gives no -I for. The host triple needs none of this.
swiftpm_flags=(-c release --scratch-path "$scratch" --triple "$swift_triple"
               -Xswiftc -enable-experimental-feature -Xswiftc Embedded -Xswiftc -wmo
               -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -fPIE -Xcc -ffunction-sections -Xcc -fdata-sections
               "${swiftpm_board_flags[@]}")
if [ "$swift_triple" != x86_64-unknown-linux-gnu ]; then
  swiftpm_flags+=(-Xcc -isystem -Xcc "/usr/$linux_triple/include"
                  -Xcc -idirafter -Xcc "/usr/include/$linux_triple" -Xcc -idirafter -Xcc /usr/include)
fi
log=$out/build.log
echo "build-edge: $target ($board): swift build --triple $swift_triple --target ffem-edge (log $log)"
if ! swift build "${swiftpm_flags[@]}" --target ffem-edge >"$log" 2>&1; then
  grep -E 'error' "$log" | sort -u | head -20 >&2
  echo "build-edge: the Embedded build for $swift_triple failed (full log: $log)" >&2
  exit 1
fi

# 2. The objects of the current sources only (a scratch folder keeps objects of deleted files):
#    Swift: <module>.build/<file>.swift.o (one per file, also under -wmo); C: <module>.build/<path>.c.o.
objects=()
for module in "${modules[@]}"; do
  build_dir=$scratch/$swift_triple/release/${module//-/_}.build
  while IFS= read -r source; do
    case $source in
      *.swift) object=$build_dir/$(basename "$source").o ;;
      *.c)     object=$build_dir/$source.o ;;
    esac
    [ -f "$object" ] || { echo "build-edge: expected object $object is missing" >&2; exit 1; }
    objects+=("$object")
  done < <(cd "Sources/$module" && find . \( -name '*.swift' -o -name '*.c' \) | sed 's|^\./||' | LC_ALL=C sort)
done

# 3. Link. The shim gives Embedded Swift its C-locale number parsing and a line-buffered stdout;
#    the Unicode tables come from the toolchain (only the members the program uses are linked).
"$cc" "${c_board_flags[@]}" -O2 -fPIE -c "$HERE/edge-libc-shims.c" -o "$out/edge-libc-shims.o"
unicode=$(dirname "$(readlink -f "$(command -v swift)")")/../lib/swift/embedded/$swift_triple/libswiftUnicodeDataTables.a
[ -f "$unicode" ] || { echo "build-edge: the toolchain has no $unicode" >&2; exit 1; }
# The board's libraries and what they need, from its own pkg-config files.
mapfile -t libs < <(PKG_CONFIG_LIBDIR=$multiarch_lib/pkgconfig pkg-config --static --libs libv4l2 libjpeg | tr ' ' '\n' | grep -v '^$')
mapfile -t static_libs < <(PKG_CONFIG_LIBDIR=$multiarch_lib/pkgconfig pkg-config --static --libs libjpeg | tr ' ' '\n' | grep -v '^$')
base=("$cc" "${c_board_flags[@]}" "${objects[@]}" "$out/edge-libc-shims.o" "$unicode"
      -Wl,--defsym=main=ffem_edge_main -Wl,--gc-sections -Wl,-rpath-link,"$multiarch_lib")
"${base[@]}" "${libs[@]}" -lm "${link_board_flags[@]}" -s -pie -o "$out/ffem-edge"
# Static: -static-pie (plain -static fails with GNU ld on the Swift objects' protected symbols,
# "copy relocation", see rigs/arm/README.md), or -static where glibc has no rcrt1.o (armhf).
# Without libv4l2 (and libv4lconvert, ≈ 0.4 MB): the shim references libv4l2 weakly and then uses
# the kernel's V4L2 ioctls directly, so the static binary takes the formats the crop reads natively
# (YUYV, UYVY, NV12, GREY, RGB24, BGR24); the dynamic one keeps libv4l2's conversions.
"${base[@]}" "${static_libs[@]}" -lm "${link_board_flags[@]}" -s "$static_link" -o "$out/ffem-edge-static" \
  2> >(grep -v -E "statically linked applications" >&2)

size() { stat -c %s "$1"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.2f MiB", b / 1048576 }'; }
echo "build-edge: $out/ffem-edge         $(size "$out/ffem-edge") bytes ($(mib "$(size "$out/ffem-edge")"), dynamic: glibc, libv4l2, libjpeg)"
echo "build-edge: $out/ffem-edge-static  $(size "$out/ffem-edge-static") bytes ($(mib "$(size "$out/ffem-edge-static")"), ${static_link#-}: glibc, libjpeg; V4L2 without libv4l2)"
