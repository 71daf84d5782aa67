#!/usr/bin/env bash
# FFEM — the aarch64 ffem-edge on an emulated arm64 board with a real V4L2 camera (issue 8 item 4):
# Debian's stock arm64 kernel under `qemu-system-aarch64 -M virt -cpu cortex-a72` (TCG) with the
# vivid driver (../shared/rigs/v4l2-arm64 showed that it boots in seconds and that vivid's frames
# are the same bytes on arm64 and x86). In the guest:
#   1. `ffem-edge check` on ORL images with their boxes (the check set the host build wrote);
#   2. `ffem-edge --camera /dev/video0 --format YUYV --size 640x480 --box …` — the user's command;
#   3. one raw frame read from /dev/video0 with dd, sent back over the console in base64.
# On the host, the ordinary x86 build embeds that raw frame with the same box (`--raw`), and the
# guest's camera embeddings must equal it byte for byte. The box lies below vivid's OSD text, on
# the static colour bars, so every frame has the same pixels there.
#
# Usage: scripts/edge/test-edge-camera-arm64.sh     (work folder $FFEM_EDGE_CAMVM, default
#        /tmp/ffem-edge-camvm; model as in test-edge-qemu.sh: $FFEM_EDGE_MODEL, out/model.ffq, or the
#        committed golden model). Installs qemu-system-arm, cpio and kmod when missing; downloads
#        (apt-get download, never installs) the arm64 kernel and busybox-static packages.
# Prints one line per check and, last, exactly "N passed, M failed". Exit status 0 iff M = 0.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
W=${FFEM_EDGE_CAMVM:-/tmp/ffem-edge-camvm}
HOST_SCRATCH=${FFEM_EDGE_HOST_SCRATCH:-/tmp/ffem-build-edge-host}
GOLDEN=Tests/Fixtures/golden/tiny-model.ffq
BOX=160,240,480,472          # below the OSD text of a 640x480 vivid frame
mkdir -p "$W/debs"

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

model=${FFEM_EDGE_MODEL:-}
if [ -z "$model" ]; then
  if [ -f out/model.ffq ]; then model=out/model.ffq; else model=$GOLDEN; fi
fi
scripts/install-deps.sh qemu-system-arm cpio kmod || { fail "installing qemu-system-arm cpio kmod"; finish; }
[ -f data/orl/image_list.json ] || make data >"$W/make-data.log" 2>&1 || { fail "make data (log $W/make-data.log)"; finish; }

# The board binary and the host reference build.
scripts/edge/build-edge.sh rpi4 >"$W/build-rpi4.log" 2>&1 || { fail "build rpi4 (log $W/build-rpi4.log)"; finish; }
swift build -c release --scratch-path "$HOST_SCRATCH" --product ffem-edge >"$W/host-build.log" 2>&1 ||
  { fail "host build (log $W/host-build.log)"; finish; }
host=$HOST_SCRATCH/release/ffem-edge

# Kernel and busybox for arm64: downloaded and unpacked, never installed on this machine.
kpkg=$(apt-cache depends linux-image-arm64:arm64 | awk '/Depends: linux-image-/ { sub(/:arm64$/, "", $2); print $2; exit }')
kver=${kpkg#linux-image-}
ls "$W"/debs/"${kpkg}"_*_arm64.deb >/dev/null 2>&1 || (cd "$W/debs" && apt-get download "$kpkg:arm64" >/dev/null 2>&1)
ls "$W"/debs/busybox-static_*_arm64.deb >/dev/null 2>&1 || (cd "$W/debs" && apt-get download busybox-static:arm64 >/dev/null 2>&1)
kx=$W/kernel-$kver
if [ ! -d "$kx/boot" ]; then
  mkdir -p "$kx" && dpkg -x "$W"/debs/"${kpkg}"_*_arm64.deb "$kx" && depmod -b "$kx" "$kver" ||
    { fail "arm64 kernel $kpkg"; finish; }
fi
[ -x "$W/busybox/bin/busybox" ] || { mkdir -p "$W/busybox" && dpkg -x "$W"/debs/busybox-static_*_arm64.deb "$W/busybox"; }

# The guest's files: busybox, the vivid module chain, ffem-edge, the model, a check set of ten
# ORL images (one in forty) with their boxes, and /init.
R=$W/root
rm -rf "$R"; mkdir -p "$R"/{bin,proc,sys,dev,tmp,ffem,lib/modules/"$kver"}
cp "$W/busybox/bin/busybox" "$R/bin/"
: >"$R/modules.load"
for module in $(modprobe -d "$kx" -S "$kver" --show-depends vivid | awk '$1 == "insmod" { print $2 }'); do
  relative=${module#"$kx/lib/modules/$kver/"}
  mkdir -p "$R/lib/modules/$kver/$(dirname "$relative")"
  cp "$module" "$R/lib/modules/$kver/$relative"
  echo "$relative" >>"$R/modules.load"
done
cp out/edge/rpi4/ffem-edge-static "$R/ffem/ffem-edge"
cp "$model" "$R/ffem/model.ffq"
jq 'to_entries | to_entries | map(select(.key % 40 == 0) | .value) | from_entries' data/orl/image_list.json >"$W/images.json"
"$host" check --write-check "$W/check.jsonl" --images "$W/images.json" --img-root-path data/orl --model "$model" >/dev/null ||
  { fail "host check set"; finish; }
cp "$W/check.jsonl" "$R/ffem/"
for image in $(jq -r '.image' "$W/check.jsonl"); do mkdir -p "$R/ffem/$(dirname "$image")"; cp "$image" "$R/ffem/$image"; done
cat >"$R/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
while read -r m; do insmod /lib/modules/$kver/\$m || echo "insmod \$m failed"; done </modules.load
i=0; while [ ! -e /dev/video0 ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i + 1)); done
cd /ffem
./ffem-edge check --check-set check.jsonl --model model.ffq 2>&1 | sed 's/^/CHECK /'
echo "CHECK-RC \$(./ffem-edge check --check-set check.jsonl --model model.ffq >/dev/null 2>&1; echo \$?)"
./ffem-edge --camera /dev/video0 --format YUYV --size 640x480 --box $BOX --model model.ffq --frames 3 --stats-interval 0 \
  >/tmp/camera.jsonl 2>/tmp/camera.err
echo "CAMERA-RC \$?"
sed 's/^/CAMERA-ERR /' /tmp/camera.err
sed 's/^/CAMERA /' /tmp/camera.jsonl
dd if=/dev/video0 of=/tmp/frame.yuyv bs=614400 count=1 2>/dev/null
echo "FRAME-BYTES \$(wc -c </tmp/frame.yuyv)"
base64 /tmp/frame.yuyv | sed 's/^/FRAME /'
echo FFEM-GUEST-DONE
poweroff -f
EOF
chmod +x "$R/init"
(cd "$R" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$W/initramfs.cpio.gz"
cp "$kx/boot/vmlinuz-$kver" "$W/Image"   # Debian's arm64 vmlinuz is an uncompressed Image

# Boot (TCG; -cpu cortex-a72 = Pi 4; `max` would be 3x slower through pointer authentication).
console=$W/console.log
timeout -k 10 600 qemu-system-aarch64 -M virt -cpu cortex-a72 -accel tcg,thread=multi -smp 2 -m 1024 \
  -kernel "$W/Image" -initrd "$W/initramfs.cpio.gz" \
  -append "console=ttyAMA0 rdinit=/init panic=-1 loglevel=3" \
  -nographic -no-reboot -nodefaults -serial stdio -monitor none </dev/null >"$console" 2>&1
tr -d '\r' <"$console" >"$console.txt"
grep -q FFEM-GUEST-DONE "$console.txt" || { fail "the guest did not finish (console $console.txt)"; finish; }

# 1. The check on the board.
if grep -q '^CHECK-RC 0$' "$console.txt" && grep -q '^CHECK check: OK$' "$console.txt"; then
  pass "arm64 VM (cortex-a72): ffem-edge check: $(sed -n "s/^CHECK check: runtime's choice ISA \([^:]*\): \([^ ]*\).*/\2 bit-exact, ISA \1/p" "$console.txt")"
else
  fail "arm64 VM (cortex-a72): ffem-edge check (console $console.txt)"
fi

# 2–3. The camera's embeddings against the x86 build's on the same frame.
sed -n 's/^CAMERA //p' "$console.txt" >"$W/camera.jsonl"
sed -n 's/^FRAME //p' "$console.txt" | base64 -d >"$W/frame.yuyv"
frames=$(wc -l <"$W/camera.jsonl")
if ! grep -q '^CAMERA-RC 0$' "$console.txt" || [ "$frames" -lt 1 ]; then
  fail "arm64 VM (cortex-a72): ffem-edge --camera /dev/video0: no embeddings (console $console.txt)"
elif [ "$(stat -c %s "$W/frame.yuyv")" -ne 614400 ]; then
  fail "arm64 VM: the raw frame came back with $(stat -c %s "$W/frame.yuyv") bytes, not 614400"
else
  "$host" --raw "$W/frame.yuyv" --format YUYV --size 640x480 --box "$BOX" --model "$model" --stats-interval 0 \
    >"$W/host-frame.jsonl" 2>"$W/host-frame.err"
  embedding() { sed -E 's/.*"embedding":(\[[^]]*\]).*/\1/' "$1" | sort -u; }
  if [ "$(embedding "$W/camera.jsonl")" = "$(embedding "$W/host-frame.jsonl")" ] && [ -s "$W/host-frame.jsonl" ]; then
    pass "arm64 VM (cortex-a72): ffem-edge --camera /dev/video0 --box $BOX: $frames frames, embeddings byte-identical to the x86 build's on the same frame"
  else
    fail "arm64 VM: camera embeddings differ from the x86 build's (compare $W/camera.jsonl $W/host-frame.jsonl)"
  fi
fi
finish
