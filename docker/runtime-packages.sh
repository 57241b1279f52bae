#!/usr/bin/env bash
# Prints the Debian packages that own the shared libraries the given binaries load, one per
# line. The Dockerfile's build stage runs it on agdf-server and agdf, and the runtime stage
# installs exactly these packages: the list follows what the binaries link instead of a
# hand-kept copy that drifts. Fails when a library is missing or owned by no package.
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 BINARY..." >&2; exit 64; }

owner_of() {
  local lib=$1 path
  # dpkg records a file under the path its package ships; on merged-/usr systems the loader
  # may report the other spelling, so try both and the resolved target.
  for path in "$lib" "${lib#/usr}" "/usr$lib" "$(readlink -f "$lib")"; do
    dpkg-query -S "$path" 2>/dev/null | sed -n '1s/:.*//p' | grep . && return 0
  done
  echo "runtime-packages: no package owns $lib" >&2
  return 1
}

libs=$(ldd "$@" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u)
if ldd "$@" | grep -q 'not found'; then
  ldd "$@" | grep 'not found' >&2
  exit 1
fi
for lib in $libs; do owner_of "$lib"; done | sort -u
