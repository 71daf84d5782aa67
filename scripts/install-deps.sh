#!/usr/bin/env bash
# Installs the Debian packages that are not installed yet (idempotent; uses sudo when not root).
# Usage: install-deps.sh HOST_PACKAGE... [-- BOARD_PACKAGE:ARCH...]
# Packages after "--" are the boards' (arm64, armhf) libraries through multiarch, for the Embedded
# build; each ":ARCH" suffix names a foreign architecture that is added to dpkg when missing.
set -euo pipefail
host=() arm=() seen_separator=0
for p in "$@"; do
  if [ "$p" = "--" ]; then seen_separator=1; continue; fi
  if [ $seen_separator = 1 ]; then arm+=("$p"); else host+=("$p"); fi
done
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
missing=()
for p in "${host[@]}" "${arm[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
for arch in $(printf '%s\n' "${arm[@]}" | sed -n 's/.*:\([a-z0-9]*\)$/\1/p' | sort -u); do
  dpkg --print-foreign-architectures | grep -qx "$arch" || $sudo dpkg --add-architecture "$arch"
done
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
