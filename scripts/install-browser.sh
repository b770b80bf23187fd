#!/usr/bin/env bash
# Installs Debian's chromium for the headless-browser tests (test/browser/), if it is missing.
# Those tests drive it with playwright-core (which downloads no browser) and skip themselves when
# it is absent. Needs root and apt-get; without them it says so and exits 0 (the tests then skip).
# On a Debian 12 machine without it this took 22-36 s (apt-get update + ~115 packages, ~150 MB).
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
  echo "install-browser: chromium already installed at $CHROMIUM"
  exit 0
fi
# shellcheck source=scripts/aptInstall.sh
. "$(dirname "$0")/aptInstall.sh"
can_apt_install install-browser chromium "the browser tests will be skipped" || exit 0

started=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
if [ ! -x "$CHROMIUM" ]; then
  echo "install-browser: chromium was installed but $CHROMIUM is missing" >&2
  exit 1
fi
echo "install-browser: installed chromium in $(( $(date +%s) - started )) s"
