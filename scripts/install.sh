#!/usr/bin/env bash
# Installs the standalone restack tarball: unpacks it under <prefix>/lib/restack and links
# <prefix>/bin/restack. It brings its own Node, so no system Node is needed.
# Usage: install.sh <restack-...-linux-x64.tar.gz> [prefix, default /usr/local]
set -euo pipefail

tarball=${1:?usage: install.sh <restack-...-linux-x64.tar.gz> [prefix]}
prefix=${2:-/usr/local}
if [ ! -f "$tarball" ]; then
  echo "install.sh: no tarball at $tarball; build one with \"npm run pack:standalone\"." >&2
  exit 1
fi

mkdir -p "$prefix/lib" "$prefix/bin"
staging=$(mktemp -d "$prefix/lib/.restack.XXXXXX")
trap 'rm -rf "$staging"' EXIT
tar -xzf "$tarball" -C "$staging"
rm -rf "$prefix/lib/restack"
mv "$staging/restack" "$prefix/lib/restack"
ln -sfn "../lib/restack/bin/restack" "$prefix/bin/restack"
echo "installed restack in $prefix/lib/restack; run $prefix/bin/restack (add $prefix/bin to PATH)"
