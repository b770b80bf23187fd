#!/usr/bin/env bash
# Installs Debian's redis-server for the shared rate-limit tests (test/e2e/sharedRateLimit.e2e.spec.ts),
# if it is missing. The tests start their own instance on a free port with a temporary directory
# and skip themselves (saying so) when no redis-server exists. Needs root and apt-get; without them
# it says so and exits 0.
set -euo pipefail

REDIS_SERVER="${REDIS_SERVER:-redis-server}"

if command -v "$REDIS_SERVER" >/dev/null 2>&1; then
  echo "install-redis: redis-server already installed ($("$REDIS_SERVER" --version | head -1))"
  exit 0
fi
# shellcheck source=scripts/aptInstall.sh
. "$(dirname "$0")/aptInstall.sh"
can_apt_install install-redis redis-server "the shared rate-limit tests will be skipped" || exit 0

started=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Only the binary: the tests run their own instance, so the packaged service is not started.
apt-get install -y -qq --no-install-recommends redis-server >/dev/null
if ! command -v redis-server >/dev/null 2>&1; then
  echo "install-redis: redis-server was installed but is not on the PATH" >&2
  exit 1
fi
echo "install-redis: installed redis-server in $(( $(date +%s) - started )) s"
