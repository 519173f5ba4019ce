#!/usr/bin/env bash
# Debian's chromium for the browser tests (Playwright cannot download its own here), and
# CJK fonts so the pages' Chinese text renders (without them screenshots show empty boxes).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# (no grep -q on a pipe: with pipefail, fc-list's SIGPIPE would count as a failure)
fc-list 2>/dev/null | grep -ci 'Noto Sans CJK' >/dev/null || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -eq 0 ]; then
  echo "ensure_chromium: /usr/bin/chromium and CJK fonts present"
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
echo "ensure_chromium: installed ${missing[*]} ($(/usr/bin/chromium --version 2>/dev/null))"
