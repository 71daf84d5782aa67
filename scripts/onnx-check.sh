#!/usr/bin/env bash
# Test: our float forward pass against onnxruntime, for every architecture (issue 3, item 9).
# For each of mobilefacenet, iresnet18, iresnet50, mobilenetv2 at 112x112: export with seeded random
# weights and 2 BN warm-up passes (`ffem-train export-onnx --random-init --bn-warmup 2
# --reference-count 4`), run onnx.checker.check_model and onnxruntime on the same 4 inputs, and
# require |ours - ort| <= 1e-4 * max(1, |ort|) for every embedding element (scripts/onnx/compare.py).
# The same for Tests/Fixtures/onnx/all-operations.json, a small spec that uses every operation and
# layout change the exporter knows (L2 normalisation, ReLU, dropout, vector -> image reshape, ...).
# Prints one line per architecture and then "N passed, M failed"; exits 1 if any failed.
# Installs onnxruntime, onnx and numpy into .build/onnx-venv on first use (PyPI).
#   BUILD_PATH  SwiftPM scratch path of the build (default .build)
#   VENV        virtualenv (default .build/onnx-venv)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_PATH:-.build}
venv=${VENV:-.build/onnx-venv}
architectures=${ARCHITECTURES:-"mobilefacenet iresnet18 iresnet50 mobilenetv2"}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import onnxruntime, onnx, numpy" 2>/dev/null || "$venv/bin/pip" install --quiet onnxruntime onnx numpy
swift build -c release --product ffem-train --scratch-path "$build" >/dev/null
ffem_train=$build/release/ffem-train
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
for arch in $architectures all-operations; do
  model=$work/$arch.onnx
  if [ "$arch" = all-operations ]; then source=(--spec Tests/Fixtures/onnx/all-operations.json); else source=(--arch "$arch"); fi
  if ! "$ffem_train" export-onnx "${source[@]}" --random-init --bn-warmup 2 --reference-count 4 --output "$model" >"$work/$arch.log" 2>&1; then
    echo "$arch: FAIL export: $(tail -1 "$work/$arch.log")"
    failed=$((failed + 1))
  elif "$venv/bin/python" scripts/onnx/compare.py "$model" "$arch" 2>"$work/$arch.err"; then
    passed=$((passed + 1))
  else
    [ -s "$work/$arch.err" ] && echo "$arch: FAIL $(tail -1 "$work/$arch.err")"
    failed=$((failed + 1))
  fi
  rm -f "$model" "$model".*.f32
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
