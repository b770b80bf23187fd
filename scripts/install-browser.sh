#!/usr/bin/env bash
# Installs Debian's chromium for the headless-browser tests (test/browser/), if it is missing.
# Those tests drive it with playwright-core (which downloads no browser) and skip themselves when
# it is absent. Needs root and apt-get; without them it says so and exits 0 (the tests then skip).
# On a Debian 12 machine without it this took 22-36 s (apt-get update + ~115 packages, ~150 MB).
set -euo pipefail
source "$(dirname "$0")/aptPrerequisite.sh"

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
  echo "install-browser: chromium already installed at $CHROMIUM"
  exit 0
fi
can_install_with_apt install-browser chromium "the browser tests" || exit 0

started=$(date +%s)
install_with_apt chromium
if [ ! -x "$CHROMIUM" ]; then
  echo "install-browser: chromium was installed but $CHROMIUM is missing" >&2
  exit 1
fi
echo "install-browser: installed chromium in $(( $(date +%s) - started )) s"
