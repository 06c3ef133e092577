#!/bin/sh
# Make Debian's chromium available for the HTML report test (tests/test_report_html.py); idempotent: does
# nothing when a chromium is already on PATH. Needs root and apt (CI runs as root on Debian).
set -e
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_chromium: chromium missing and cannot be installed here (needs root and apt-get)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk >/dev/null \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk >/dev/null; }
command -v chromium >/dev/null 2>&1
