#!/usr/bin/env bash
# A real V4L2 camera for ffem-edge (DESIGN.md §10, ../shared/rigs/v4l2/README.md): boots Debian's
# stock kernel under QEMU (TCG) with the vivid driver, chroots into this host's / over 9p and runs
# the host-built ffem-edge against /dev/video0. Checks, on the host afterwards:
#   (a) vivid's static test pattern in YUYV 640x480 gives one JSON line per frame, all identical
#       (a static pattern with the OSD off is byte-identical frame after frame);
#   (b) the native RGB24 path gives embeddings too;
#   (c) an unsupported request (NV12 at 123x77) fails with exit 1 and lists what vivid offers;
#   (d) --list-formats prints the device's formats.
# Not covered yet: ORL faces injected through loop_video compared byte for byte with --images,
# libv4l2's YUYV-only emulation plugin, and the device vanishing mid-stream.
# Needs root (apt-get install of qemu-system-x86 busybox-static v4l-utils cpio kmod on first use,
# and the Debian kernel package, done by the rig's build-initramfs.sh).
# Usage: scripts/v4l2-vm-test.sh        (env: FFEM_EDGE=binary MODEL=model.ffq W=workdir RIG=rig folder)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RIG=${RIG:-$ROOT/../shared/rigs/v4l2}
W=${W:-/tmp/ffem-v4l2vm}
EDGE=$(realpath "${FFEM_EDGE:-.build/debug/ffem-edge}")
MODEL=$(realpath "${MODEL:-Tests/Fixtures/golden/tiny-model.ffq}")
[ -x "$EDGE" ] || { echo "v4l2-vm-test: no ffem-edge at $EDGE (swift build first, or set FFEM_EDGE)" >&2; exit 1; }
[ -d "$RIG" ] || { echo "v4l2-vm-test: the rig is not at $RIG (set RIG)" >&2; exit 1; }
mkdir -p "$W/out"
rm -f "$W"/out/*.jsonl "$W"/out/*.err "$W"/out/*.txt "$W"/out/*.status

W=$W TESTBINS=0 SWIFT=0 OUTNAME=initramfs-min.cpio.gz "$RIG/build-initramfs.sh" 2>&1 | grep -v 'depmod: WARNING' || true

# Runs inside the VM, chrooted into the host's / (read-only); /mnt is $W/out (writable).
cat > "$W/out/payload.sh" <<PAYLOAD
#!/bin/sh
v4l2-ctl -d /dev/video0 --set-input=0 -c test_pattern=0 -c osd_text_mode=2
$EDGE --camera /dev/video0 --list-formats --model $MODEL > /mnt/formats.txt 2>&1; echo \$? > /mnt/formats.status
$EDGE --camera /dev/video0 --format YUYV --size 640x480 --fps 25 --frames 5 --stats-interval 0 \
  --model $MODEL --box 200,120,440,400 --output /mnt/yuyv.jsonl 2> /mnt/yuyv.err; echo \$? > /mnt/yuyv.status
$EDGE --camera /dev/video0 --format RGB24 --size 640x480 --fps 25 --frames 3 --stats-interval 0 \
  --model $MODEL --box 200,120,440,400 --output /mnt/rgb.jsonl 2> /mnt/rgb.err; echo \$? > /mnt/rgb.status
$EDGE --camera /dev/video0 --format NV12 --size 123x77 --frames 1 --model $MODEL > /dev/null 2> /mnt/refused.err; echo \$? > /mnt/refused.status
echo PAYLOAD-OK
PAYLOAD
chmod +x "$W/out/payload.sh"

INITRD=$W/initramfs-min.cpio.gz HOSTSHARE=1 OUT=$W/out TIMEOUT=600 W=$W \
  APPEND="vividargs=n_devs=1,node_types=0x1 hostrun=$W/out/payload.sh" \
  LOG=$W/console.log "$RIG/run-vm.sh" > /dev/null || { echo "v4l2-vm-test: the VM run failed; see $W/console.log" >&2; exit 1; }

fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
out=$W/out
check "(d) --list-formats exits 0 and lists YUYV" '[ "$(cat $out/formats.status)" = 0 ] && grep -q "YUYV" $out/formats.txt'
check "(a) YUYV 640x480: exit 0, 5 lines" '[ "$(cat $out/yuyv.status)" = 0 ] && [ "$(wc -l < $out/yuyv.jsonl)" = 5 ]'
check "(a) YUYV: the static pattern gives 5 identical embeddings" \
  '[ "$(sed "s/.*\"embedding\"//" $out/yuyv.jsonl | sort -u | wc -l)" = 1 ]'
check "(a) YUYV: kernel timestamps increase" \
  '[ "$(sed "s/.*\"timestamp\":\([0-9.]*\).*/\1/" $out/yuyv.jsonl | sort -c -n -u && echo y)" = y ]'
check "(b) RGB24 640x480: exit 0, 3 lines" '[ "$(cat $out/rgb.status)" = 0 ] && [ "$(wc -l < $out/rgb.jsonl)" = 3 ]'
check "(c) NV12 123x77 refused (exit 1) with the offers listed" \
  '[ "$(cat $out/refused.status)" = 1 ] && grep -q "it offers:" $out/refused.err'
grep -h "total:" "$out/yuyv.err" "$out/rgb.err" || true
[ $fail = 0 ] && echo "v4l2-vm-test: OK" || { echo "v4l2-vm-test: FAILED (outputs in $out)" >&2; exit 1; }
