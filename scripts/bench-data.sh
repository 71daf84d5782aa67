#!/usr/bin/env bash
# Benchmark (not a test): ffem-data bench vs an equivalent tf.data pipeline, same machine, same run,
# 2 threads, batch 64, on ORL (92x112) and on 640x480 JPEGs with face-sized boxes. Prints the ratio.
# Installs tensorflow-cpu into a virtualenv under .build/bench-venv on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/bench-venv
seconds=${SECONDS_PER_RUN:-8}
threads=${THREADS:-2}
batch=${BATCH:-64}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import tensorflow" 2>/dev/null || "$venv/bin/pip" install --quiet tensorflow-cpu
vga=data/orl-vga
[ -f "$vga/image_list.json" ] || "$venv/bin/python" scripts/bench/make_vga_dataset.py data/orl "$vga"
ffem=.build/release/ffem-data
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; commit $(git rev-parse --short HEAD)"
for set in orl vga; do
  if [ $set = orl ]; then list=data/orl/image_list.json root=data/orl; else list=$vga/image_list.json root=$vga; fi
  ours=$("$ffem" bench --train-file "$list" --img-root-path "$root" --batch-size "$batch" --threads "$threads" --seconds "$seconds" | sed -n 's/^images\/s: //p')
  theirs=$("$venv/bin/python" scripts/bench/tfdata_pipeline.py "$list" "$root" "$batch" "$threads" "$seconds" 2>/dev/null | sed -n 's/^images\/s: //p')
  ratio=$(python3 -c "print(f'{$ours / $theirs:.2f}')")
  echo "$set: ffem-data $ours images/s, tf.data $theirs images/s, ratio ${ratio}x"
done
