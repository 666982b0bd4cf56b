#!/usr/bin/env bash
# The browser tests drive Debian's Chromium: Playwright cannot download its own browser on
# these machines. Install it where missing (needs root and apt), or say what to do.
set -euo pipefail
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium for the browser tests (apt-get install chromium)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  exit 0
fi
echo "The browser tests need Chromium at $chromium: install it (sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
exit 1
