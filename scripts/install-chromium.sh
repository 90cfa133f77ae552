#!/usr/bin/env bash
# Debian's Chromium, for the browser tests (the HTML report at desktop and phone width,
# the feed's XML checked by a real parser). Runs before `npm test`; does nothing when
# Chromium is already there (CHROMIUM_PATH, or /usr/bin/chromium).
set -euo pipefail
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium_path" ]; then exit 0; fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-chromium: Chromium is missing and this user cannot install it; run as root: apt-get install chromium, or set CHROMIUM_PATH" >&2
    exit 1
  fi
fi
echo "install-chromium: installing Debian's chromium (once)" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
