#!/usr/bin/env bash
# The closing summary of `make demo`: float and int8 side by side, read from the files the demo's
# steps wrote into OUT (default out/). Fails, naming the file, when one is missing.
#
#   scripts/demo-summary.sh [OUT]
set -euo pipefail
out=${1:-out}

need() { [[ -s $1 ]] || { echo "demo-summary: $1 is missing (did an earlier step fail?)" >&2; exit 1; }; }
for f in "$out/phase1/validation.json" "$out/phase2/eval.json" "$out/model.ffq.report.json" \
         "$out/model.ffq.eval.json" "$out/latency.txt" "$out/heldout-embeddings.jsonl"; do need "$f"; done

# accuracy FILE: "90.44 ± 2.29 %" from an ffem-eval/ffem-train JSON; auc FILE: "0.9421".
accuracy() { printf '%5.2f ± %.2f %%' $(jq -r '.accuracy | "\(.mean * 100) \(.std * 100)"' "$1"); }
auc() { printf '%.4f' "$(jq -r '.auc' "$1")"; }

report=$out/model.ffq.report.json
latency=$(sed -n 's/.*median_ms=\([0-9.]*\).*isa=\([^ ]*\).*/\1 ms median, batch 1, 1 thread, \2/p' "$out/latency.txt" | tail -1)
embedded=$(wc -l <"$out/heldout-embeddings.jsonl")

cat <<EOF

FFEM demo — ORL, MobileFaceNet, held-out identities s31–s40 (900 pairs, 10-fold)
  phase 1, classifier pretraining: $(accuracy "$out/phase1/validation.json") held-out accuracy
                         10-fold accuracy    AUC
  float (phase 2)        $(accuracy "$out/phase2/eval.json")    $(auc "$out/phase2/eval.json")
  int8  (model.ffq)      $(accuracy "$out/model.ffq.eval.json")    $(auc "$out/model.ffq.eval.json")
  cosine float/int8      mean $(printf '%.4f' "$(jq -r .cosine_mean "$report")"), min $(printf '%.4f' "$(jq -r .cosine_min "$report")") (held-out images)
  int8 latency           ${latency:-unknown}
  ffem-edge              $embedded held-out faces embedded; ffem-edge check passed (bit-exact under every ISA)

  written:
    crops preview        $out/crops.png
    checkpoints          $out/phase1/best.safetensors, $out/phase2/best.safetensors
    training curves      $out/phase1/training.svg, $out/phase2/training.svg
    ROC                  $out/phase2/roc.svg
    int8 model           $out/model.ffq (report $report)
    embeddings           $out/heldout-embeddings.jsonl
EOF
if [[ -s $out/camera-embeddings.jsonl ]]; then
  echo "    camera embeddings    $out/camera-embeddings.jsonl"
fi
