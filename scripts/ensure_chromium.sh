#!/usr/bin/env bash
# Debian's chromium for the browser tests (Playwright cannot download its own here).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "ensure_chromium: /usr/bin/chromium present"
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
echo "ensure_chromium: installed $(/usr/bin/chromium --version 2>/dev/null)"
