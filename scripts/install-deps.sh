#!/usr/bin/env bash
# Installs what Casebook needs on Debian/Ubuntu when it is missing.
#   scripts/install-deps.sh          build and run: libsodium-dev, libsqlite3-dev, pkg-config
#   scripts/install-deps.sh --demo   also the reference age (the demonstration opens exports with it)
#   scripts/install-deps.sh --test   also what the tests need: the reference age and minisign, sqlite3, zlib1g-dev
set -euo pipefail

packages=()
command -v pkg-config >/dev/null 2>&1 || packages+=(pkg-config)
if ! pkg-config --exists libsodium 2>/dev/null; then packages+=(libsodium-dev); fi
if ! pkg-config --exists sqlite3 2>/dev/null; then packages+=(libsqlite3-dev); fi
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--demo" ]; then
    command -v age >/dev/null 2>&1 || packages+=(age)
fi
if [ "${1:-}" = "--test" ]; then
    command -v minisign >/dev/null 2>&1 || packages+=(minisign)
    command -v sqlite3 >/dev/null 2>&1 || packages+=(sqlite3)
    # zlib: the compressed CCTV age vectors are inflated by the tests.
    pkg-config --exists zlib 2>/dev/null || packages+=(zlib1g-dev)
fi

[ ${#packages[@]} -eq 0 ] && exit 0

if ! command -v swift >/dev/null 2>&1; then
    echo "casebook: error: the Swift toolchain (swift) is not on PATH" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "casebook: error: missing Debian packages: ${packages[*]}" >&2
    echo "hint: run as root, or install them first: sudo apt-get install -y ${packages[*]}" >&2
    exit 1
fi
echo "Installing ${packages[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "Installed ${packages[*]}." >&2
