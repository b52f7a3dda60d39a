#!/usr/bin/env bash
# Debian packages the tests need, installed only when missing: chromium and curl (browser
# tests), gettext (msgfmt, for compilemessages), HarfBuzz's subsetter (WeasyPrint embeds fonts
# with it; without it every PDF logs a deprecation warning). Pass "gettext" to install only gettext.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || [ "${1:-}" = gettext ] || missing+=(chromium)
command -v msgfmt >/dev/null || missing+=(gettext)
# curl fetches axe-core (scripts/axe.sh) for the accessibility browser test.
[ "${1:-}" = gettext ] || command -v curl >/dev/null || missing+=(curl)
[ "${1:-}" = gettext ] || ldconfig -p | grep -q libharfbuzz-subset.so.0 || missing+=(libharfbuzz-subset0)
[ ${#missing[@]} -gt 0 ] || exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "Installing Debian packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
