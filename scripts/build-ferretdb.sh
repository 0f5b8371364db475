#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (the embedded/test database) from the Go module proxy, once.
# Usage: build-ferretdb.sh [binary-path]. The binary is cached in
# ~/.cache/sapa-gajahmungkur/ferretdb-v1.24.2 (or $1, or $FERRETDB_BIN); an existing binary is reused.
#
# Why not plain `go install ...@v1.24.2`: the module zip on the proxy ships an empty
# build/version/version.txt, and FerretDB's own main panics at start-up without it. We copy the
# module source out of the Go module cache, write the version file, and build cmd/ferretdb.
set -euo pipefail
VERSION=v1.24.2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-${FERRETDB_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/sapa-gajahmungkur/ferretdb-$VERSION}}

if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  echo "ferretdb: using cached $BIN"
  exit 0
fi
command -v go >/dev/null || { echo "ferretdb: Go is required to build FerretDB" >&2; exit 1; }

echo "ferretdb: building $VERSION (first time only, a few minutes)..."
SRC=$(go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$SRC" ] || { echo "ferretdb: module download failed" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
cp -r "$SRC/." "$WORK/"
chmod -R u+w "$WORK"
echo "$VERSION" > "$WORK/build/version/version.txt"
mkdir -p "$(dirname "$BIN")"
(cd "$WORK" && GOFLAGS=-mod=mod go build -buildvcs=false -trimpath -o "$BIN" ./cmd/ferretdb)
"$BIN" --version | head -3
echo "ferretdb: built $BIN"
