#!/usr/bin/env bash
# Debian packages the tests need, installed only when missing: chromium (browser tests) and
# gettext (msgfmt, for compilemessages). Pass "gettext" to install only that one.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || [ "${1:-}" = gettext ] || missing+=(chromium)
command -v msgfmt >/dev/null || missing+=(gettext)
[ ${#missing[@]} -gt 0 ] || exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "Installing Debian packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
