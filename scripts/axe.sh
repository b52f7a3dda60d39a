#!/usr/bin/env bash
# axe-core for the accessibility browser test, fetched from the npm registry once and checked
# against the sha512 the registry publishes for this version (its "integrity" field); curl, tar
# and sha512sum only, since CI has no node. Installed beside the virtualenv, never committed.
set -euo pipefail

VERSION=4.14.1
SHA512=1477dafa598d8d065f273d6af302aa203c02e83131707b7fa648cd41bd3d6b734f8c22a0dab86ee6a6f64b8afbe804b214d36db85a2826965edfb3a0b9d546b5
DEST=${1:-.venv/share/axe-core}

# The minified file starts with "/*! axe v4.14.1": an older copy is replaced.
if head -c 40 "$DEST/axe.min.js" 2>/dev/null | grep -qF "axe v$VERSION"; then
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -sSfL --retry 3 -o "$work/axe.tgz" "https://registry.npmjs.org/axe-core/-/axe-core-$VERSION.tgz"
echo "$SHA512  $work/axe.tgz" | sha512sum --check --quiet
tar -xzf "$work/axe.tgz" -C "$work" package/axe.min.js package/LICENSE
mkdir -p "$DEST"
mv "$work/package/LICENSE" "$DEST/LICENSE"
mv "$work/package/axe.min.js" "$DEST/axe.min.js"
echo "axe-core $VERSION installed in $DEST"
