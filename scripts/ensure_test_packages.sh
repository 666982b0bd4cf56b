#!/usr/bin/env bash
# What the test suite needs from the system, installed where missing (as root, with apt) or
# named in one line before anything runs:
# - Pango, HarfBuzz's subsetter and Noto fonts, for the PDFs (Latin, Cyrillic, Arabic script:
#   without fonts-noto-core the Pashto letter ۍ prints as an empty box);
# - GNU gettext, to compile the interface's translations;
# - Debian's Chromium for the browser tests (Playwright cannot download its own browser here);
# - Redis, which the two-server test starts for itself unless REDIS_URL names one.
set -euo pipefail
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-core gettext)
[ -x "$chromium" ] || packages+=(chromium chromium-driver)
[ -n "${REDIS_URL-}" ] || command -v redis-server >/dev/null || packages+=(redis-server)

missing=()
if command -v dpkg-query >/dev/null; then
  for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
# The font list is read whole before it is searched: under pipefail, `fc-list | grep -q` fails
# with SIGPIPE as soon as grep stops reading early, that is whenever the font is there.
fonts=$(fc-list : family 2>/dev/null || true)
if ((${#missing[@]} == 0)) && [ -x "$chromium" ] && grep -q "Noto Naskh Arabic" <<<"$fonts"; then
  exit 0
fi
if ((${#missing[@]})) && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing what the tests need: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "The tests need system packages that are missing: sudo apt-get install -y ${missing[*]:-${packages[*]}} (or set CHROMIUM_PATH to a Chromium)." >&2
exit 1
