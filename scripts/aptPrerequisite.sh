# Sourced by the scripts/install-*.sh scripts: installs a Debian package that an optional test suite
# needs. Those suites skip themselves without it, so a machine that cannot install (not root, no
# apt-get) is told why and the script still exits 0.

# Succeeds when this machine can install with apt-get; otherwise says why on stderr and fails.
# Usage: can_install_with_apt SCRIPT PACKAGE "THE TESTS THAT SKIP"
can_install_with_apt() {
  local script=$1 package=$2 skipped=$3
  if [ "$(id -u)" -ne 0 ]; then
    echo "$script: not root, not installing $package ($skipped will be skipped)" >&2
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$script: no apt-get, not installing $package ($skipped will be skipped)" >&2
    return 1
  fi
}

# Refreshes the package index and installs quietly. Usage: install_with_apt [APT-GET INSTALL ARGS...]
install_with_apt() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "$@" >/dev/null
}
