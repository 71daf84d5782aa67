#!/usr/bin/env bash
# Benchmark (not a test), issue 6: FFEM int8 against the engines a user would pick instead, on the
# same MobileFaceNet weights, fed FFEM's own crops.
#   1. accuracy: float ONNX, onnxruntime int8 (static QDQ, per-channel weights, uint8 activations),
#      OpenVINO int8 (NNCF), LiteRT int8 and FFEM int8 (ffem-quantize, ffem-eval): mean/min cosine
#      against the float model over the held-out images and held-out 10-fold accuracy;
#   2. latency in one run: batch 1, one thread, medians over RUNS inferences after WARMUP, ratios
#      FFEM/engine and the kernels/ISA each engine used.
# All engines quantize from the same checkpoint with the same calibration images
# (Calibration/orl/manifest.txt, cropped by `ffem-bench crops` with the model's crop policy).
# Results are recorded by hand in Benchmarks/int8-comparison.md.
#   CHECKPOINT  float checkpoint (default out/phase1b/best.safetensors)
#   CALIB       calibration config (default Calibration/orl/calibration.json)
#   PAIRS       held-out pairs (default data/orl/pairs-heldout.txt)
#   OUT         work folder (default out/int8-comparison)
#   BUILD_PATH  SwiftPM scratch path (default .build)
#   VENV        venv for onnx/onnxruntime/openvino/nncf/ai-edge-litert (default .build/int8-venv)
#   TF_VENV     venv with TensorFlow for the TFLite conversion (default .build/bench-venv;
#               tensorflow-cpu is installed there if missing; SKIP_TFLITE=1 skips LiteRT)
#   RUNS, WARMUP  timed and warm-up inferences per engine (default 300, 50)
set -euo pipefail
cd "$(dirname "$0")/.."
checkpoint=${CHECKPOINT:-out/phase1b/best.safetensors}
calib=${CALIB:-Calibration/orl/calibration.json}
pairs=${PAIRS:-data/orl/pairs-heldout.txt}
out=${OUT:-out/int8-comparison}
build=${BUILD_PATH:-.build}
venv=${VENV:-.build/int8-venv}
tf_venv=${TF_VENV:-.build/bench-venv}
runs=${RUNS:-300}
warmup=${WARMUP:-50}

list=$(sed -n 's/.*"image_list" *: *"\([^"]*\)".*/\1/p' "$calib")
root=$(sed -n 's/.*"img_root_path" *: *"\([^"]*\)".*/\1/p' "$calib")
manifest=$(sed -n 's/.*"manifest" *: *"\([^"]*\)".*/\1/p' "$calib")
[ -f "$checkpoint" ] || { echo "no checkpoint $checkpoint (make demo trains it)" >&2; exit 1; }
[ -f "$list" ] && [ -f "$pairs" ] || { echo "no ORL data: run make data" >&2; exit 1; }

echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources scripts || echo ' (+ local changes)'), $(uptime | sed 's/.*load/load/')"
echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs"

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import onnx, onnxruntime, openvino, nncf, ai_edge_litert, numpy" 2>/dev/null \
  || "$venv/bin/pip" install --quiet onnx onnxruntime openvino nncf ai-edge-litert numpy
tflite=1
if [ "${SKIP_TFLITE:-0}" = 1 ]; then
  tflite=0
else
  [ -x "$tf_venv/bin/python" ] || python3 -m venv "$tf_venv"
  "$tf_venv/bin/python" -c "import tensorflow, numpy" 2>/dev/null || "$tf_venv/bin/pip" install --quiet tensorflow-cpu numpy || tflite=0
fi
"$venv/bin/pip" list 2>/dev/null | grep -iE '^(onnx|onnxruntime|openvino|nncf|ai-edge-litert|numpy) ' | tr -s ' ' | paste -sd, | sed 's/^/== /'

for product in ffem-train ffem-quantize ffem-eval ffem-bench; do
  swift build -c release --scratch-path "$build" --product "$product" >/dev/null
done
bin=$build/release
py=$venv/bin/python
mkdir -p "$out"

echo "== float model and FFEM int8"
"$bin/ffem-train" export-onnx --checkpoint "$checkpoint" --output "$out/mobilefacenet.onnx"
"$bin/ffem-quantize" --model "$checkpoint" --calib "$calib" --output "$out/mobilefacenet.ffq" --pairs "$pairs" \
  > "$out/ffem-quantize.log"
grep -E '^(embedding cosine|verification)' "$out/ffem-quantize.log"
"$bin/ffem-eval" --model "$out/mobilefacenet.ffq" --pairs "$pairs" --list "$list" --img-root-path "$root" \
  --json "$out/ffem-eval-int8.json" > "$out/ffem-eval-int8.log"
grep -m1 -i 'accuracy' "$out/ffem-eval-int8.log"

echo "== FFEM's crops (calibration: $manifest; held-out: the images of $pairs)"
awk '!/^#/ && NF >= 2 {print $1; print $2}' "$pairs" | sort -u -V > "$out/heldout-paths.txt"
"$bin/ffem-bench" crops --list "$list" --img-root-path "$root" --paths "$manifest" --model "$out/mobilefacenet.ffq" --output "$out/calib.f32"
"$bin/ffem-bench" crops --list "$list" --img-root-path "$root" --paths "$out/heldout-paths.txt" --model "$out/mobilefacenet.ffq" --output "$out/heldout.f32"

echo "== other engines' int8"
"$py" scripts/int8/engines.py quantize-ort "$out/mobilefacenet.onnx" "$out/calib.f32" "$out/mobilefacenet.ort-int8.onnx"
"$py" scripts/int8/engines.py quantize-ov "$out/mobilefacenet.onnx" "$out/calib.f32" "$out/mobilefacenet.ov-int8.xml" 2>&1 \
  | grep -v -E '━|^\s*$' || true
tflite_args=()
if [ "$tflite" = 1 ]; then
  "$py" scripts/int8/engines.py graph "$out/mobilefacenet.onnx" "$out/mobilefacenet.graph.npz"
  "$py" - "$out" <<'PY'
import sys
sys.path.insert(0, "scripts/int8")
import engines
out = sys.argv[1]
engines.OrtEngine(f"{out}/mobilefacenet.onnx").run(engines.load_crops(f"{out}/heldout.f32")).astype("<f4").tofile(f"{out}/heldout.float-onnx.f32")
PY
  if TF_CPP_MIN_LOG_LEVEL=2 "$tf_venv/bin/python" scripts/int8/tflite_build.py "$out/mobilefacenet.graph.npz" "$out/calib.f32" \
       "$out/mobilefacenet.int8.tflite" "$out/heldout.f32" "$out/heldout.float-onnx.f32" > "$out/tflite-build.log" 2>&1; then
    grep -E '^(Keras rebuild|TFLite)' "$out/tflite-build.log"
    tflite_args=(--tflite "$out/mobilefacenet.int8.tflite")
  else
    echo "LiteRT skipped: the TFLite conversion failed (see $out/tflite-build.log)"
  fi
else
  echo "LiteRT skipped: no TensorFlow"
fi

echo "== accuracy"
"$py" scripts/int8/engines.py accuracy --heldout "$out/heldout.f32" --paths "$out/heldout-paths.txt" --pairs "$pairs" \
  --float "$out/mobilefacenet.onnx" --ort "$out/mobilefacenet.ort-int8.onnx" --ov "$out/mobilefacenet.ov-int8.xml" \
  "${tflite_args[@]}" --ffem-report "$out/mobilefacenet.ffq.report.json" --ffem-eval-json "$out/ffem-eval-int8.json" \
  --json "$out/accuracy.json" 2> >(grep -v -E 'XNNPACK delegate' >&2)

echo "== latency"
"$py" scripts/int8/engines.py latency --ffem-bench "$bin/ffem-bench" --ffq "$out/mobilefacenet.ffq" \
  --ort "$out/mobilefacenet.ort-int8.onnx" --ov "$out/mobilefacenet.ov-int8.xml" "${tflite_args[@]}" \
  --runs "$runs" --warmup "$warmup" --json "$out/latency.json" 2> >(grep -v -E 'XNNPACK delegate' >&2)
echo "== done $(date -u '+%H:%M:%S UTC'), $(uptime | sed 's/.*load/load/')"
