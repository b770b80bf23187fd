# Sourced by the install-*.sh scripts: what each of them needs before it may install a Debian package.

# can_apt_install <script> <package> <what is skipped without it>
# Fails, saying why, where this machine cannot install packages (not root, or no apt-get); the
# caller then exits 0, since the tests that need the package skip themselves without it.
can_apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "$1: not root, not installing $2 ($3)" >&2
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$1: no apt-get, not installing $2 ($3)" >&2
    return 1
  fi
}
