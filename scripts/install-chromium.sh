#!/usr/bin/env bash
# A Chromium for the browser tests (the HTML report at desktop and phone width, the feed's
# XML checked by a real parser). Runs before `npm test`. Uses the browser the tests would find
# (test/helpers/find-chromium.ts: CHROME_PATH, chromium or google-chrome on PATH, Playwright's
# cache); installs Debian's chromium only when there is none and apt-get is there (CI runs as
# root on Debian). Anywhere else it says so in one line and lets the tests run: the browser
# tests then fail with the same line, the others are not held up.
set -euo pipefail
cd "${BASH_SOURCE[0]%/*}/.."
# Exit 3: no browser, and the line why; any other failure is a bug here and stops `npm test`.
status=0
reason="$(node --import tsx test/helpers/find-chromium.ts 2>&1 >/dev/null)" || status=$?
if [ "$status" -eq 0 ]; then exit 0; fi
if [ "$status" -ne 3 ]; then echo "$reason" >&2; exit "$status"; fi
if [ -n "${CHROME_PATH:-}${CHROMIUM_PATH:-}" ] || ! command -v apt-get >/dev/null 2>&1; then
  # A path chosen on purpose is not replaced; without apt-get there is nothing to install with.
  echo "install-chromium: ${reason#find-chromium: } (the browser tests will fail until then)" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-chromium: no Chromium found and this user cannot install one: run as root: apt-get install chromium, or set CHROME_PATH=/path/to/chromium" >&2
    exit 0
  fi
fi
echo "install-chromium: installing Debian's chromium (once)" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
